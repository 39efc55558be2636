//! `hoidap new` (being written).

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> u8 {
    eprintln!("hoidap new: not implemented yet");
    super::exit::FAILURE
}

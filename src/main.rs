mod cli;
// musl's `memcpy` is slow on short copies; the static Linux binary takes these instead.
#[cfg(any(test, hoidap_wrap_memcpy))]
mod memcpy;

// The build allocates many short-lived strings on several threads; glibc's allocator hands
// freed memory back to the kernel and faults it in again (a third of `check`'s time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}

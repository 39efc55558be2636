//! Short copies for the static Linux binary (x86_64, musl), which the release ships.
//!
//! musl's x86_64 `memcpy` is `rep movsq` with byte-wise ends: quick for long copies, slow for
//! the short ones a build makes by the million (strings into template values, pieces of
//! pages into buffers): 16–22% of that binary's CPU samples at 10,000 records, against 4–5%
//! for glibc's `memmove` in the default build (BENCHMARKS.md). build.rs links that binary
//! with `--wrap=memcpy --wrap=memmove`, so every call in the program and in musl itself comes
//! here first: up to 64 bytes are copied with a few unaligned loads and stores, longer copies
//! go on to musl's own.

/// Copies `n` bytes, at most 64, from `src` to `dst`, which may overlap: every byte is loaded
/// before any is stored, so the same code serves `memmove`.
///
/// # Safety
/// `src` must be valid for reading and `dst` for writing `n` bytes, and `n <= 64`.
#[inline(always)]
pub unsafe fn copy_short(dst: *mut u8, src: *const u8, n: usize) {
    // Two blocks of a size overlap in the middle to cover every length between that size and
    // twice it. Each block is read as one unaligned load: a fixed-size copy, which the
    // compiler lowers to moves, never to a call (that call would come back here).
    unsafe {
        match n {
            33..=64 => {
                let (a, b) = (load::<16>(src), load::<16>(src.add(16)));
                let (c, d) = (load::<16>(src.add(n - 32)), load::<16>(src.add(n - 16)));
                store(dst, a);
                store(dst.add(16), b);
                store(dst.add(n - 32), c);
                store(dst.add(n - 16), d);
            }
            16..=32 => two::<16>(dst, src, n),
            8..=15 => two::<8>(dst, src, n),
            4..=7 => two::<4>(dst, src, n),
            2..=3 => two::<2>(dst, src, n),
            1 => *dst = *src,
            _ => {}
        }
    }
}

/// Copies `n` bytes, `N <= n <= 2 * N`, as the first and the last `N`.
#[inline(always)]
unsafe fn two<const N: usize>(dst: *mut u8, src: *const u8, n: usize) {
    unsafe {
        let (head, tail) = (load::<N>(src), load::<N>(src.add(n - N)));
        store(dst, head);
        store(dst.add(n - N), tail);
    }
}

#[inline(always)]
unsafe fn load<const N: usize>(p: *const u8) -> [u8; N] {
    unsafe { p.cast::<[u8; N]>().read_unaligned() }
}

#[inline(always)]
unsafe fn store<const N: usize>(p: *mut u8, v: [u8; N]) {
    unsafe { p.cast::<[u8; N]>().write_unaligned(v) }
}

/// The wrappers the linker puts in place of `memcpy` and `memmove` (build.rs decides when,
/// for both).
#[cfg(hoidap_wrap_memcpy)]
mod wrap {
    use std::ffi::c_void;

    /// The largest copy done here.
    const SHORT: usize = 64;

    unsafe extern "C" {
        fn __real_memcpy(dst: *mut c_void, src: *const c_void, n: usize) -> *mut c_void;
        fn __real_memmove(dst: *mut c_void, src: *const c_void, n: usize) -> *mut c_void;
    }

    /// # Safety
    /// That of `memcpy`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn __wrap_memcpy(
        dst: *mut c_void,
        src: *const c_void,
        n: usize,
    ) -> *mut c_void {
        if n > SHORT {
            return unsafe { __real_memcpy(dst, src, n) };
        }
        unsafe { super::copy_short(dst.cast(), src.cast(), n) };
        dst
    }

    /// # Safety
    /// That of `memmove`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn __wrap_memmove(
        dst: *mut c_void,
        src: *const c_void,
        n: usize,
    ) -> *mut c_void {
        if n > SHORT {
            return unsafe { __real_memmove(dst, src, n) };
        }
        unsafe { super::copy_short(dst.cast(), src.cast(), n) };
        dst
    }
}

#[cfg(test)]
mod tests {
    use super::copy_short;

    /// A buffer of distinct bytes (period 251, a prime, so no two blocks look alike).
    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn copies_every_length_between_any_two_places() {
        for n in 0..=64 {
            for from in 0..16 {
                for to in 0..16 {
                    let src = pattern(96);
                    let mut dst = vec![0xEE; 96];
                    unsafe { copy_short(dst.as_mut_ptr().add(to), src.as_ptr().add(from), n) };
                    let mut want = vec![0xEE; 96];
                    want[to..to + n].copy_from_slice(&src[from..from + n]);
                    assert_eq!(dst, want, "n {n}, from {from}, to {to}");
                }
            }
        }
    }

    #[test]
    fn overlapping_copies_move_as_memmove_does() {
        for n in 0..=64 {
            for from in 0..24 {
                for to in 0..24 {
                    let mut buf = pattern(96);
                    let mut want = buf.clone();
                    want.copy_within(from..from + n, to);
                    let p = buf.as_mut_ptr();
                    unsafe { copy_short(p.add(to), p.add(from), n) };
                    assert_eq!(buf, want, "n {n}, from {from}, to {to}");
                }
            }
        }
    }
}

//! A no_std Rust module: a CRC-32 over a buffer in linear memory, and a host call (env.report) per result.
#![no_std]

#[link(wasm_import_module = "env")]
extern "C" {
    fn report(code: u32, value: u32);
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

static mut BUFFER: [u8; 64] = [0; 64];

/// Fills the buffer with 0, 1, 2, ... and returns the CRC-32 (zlib's) of its first `len` bytes.
#[no_mangle]
pub extern "C" fn crc_of_counting(len: u32) -> u32 {
    let buf = unsafe { &mut *core::ptr::addr_of_mut!(BUFFER) };
    let len = (len as usize).min(buf.len());
    for (i, b) in buf.iter_mut().enumerate() {
        *b = i as u8;
    }
    let mut crc = 0xFFFF_FFFFu32;
    for &b in &buf[..len] {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    let crc = !crc;
    unsafe { report(len as u32, crc) };
    crc
}

/// Integer square root by bisection, to show u64 arithmetic on a 32-bit core.
#[no_mangle]
pub extern "C" fn isqrt(n: u64) -> u64 {
    let (mut lo, mut hi) = (0u64, 1u64 << 32);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if mid.checked_mul(mid).map_or(false, |sq| sq <= n) { lo = mid } else { hi = mid }
    }
    lo
}

use std::process::ExitCode;

/// A post's parse allocates many small, short-lived values on every thread at once; mimalloc
/// serves those several times faster than the system allocator.
#[cfg(not(feature = "heap-probe"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// With the `heap-probe` feature: mimalloc, counting the bytes live and their peak for
/// `ARTLINT_TIMINGS` (what RSS cannot tell: pages once touched stay resident).
#[cfg(feature = "heap-probe")]
#[global_allocator]
static GLOBAL: heap_probe::Counting = heap_probe::Counting;

#[cfg(feature = "heap-probe")]
mod heap_probe {
    use std::alloc::{GlobalAlloc, Layout};

    use artlint::timings::{heap_grew, heap_shrank};

    pub struct Counting;

    // SAFETY: every call is passed on unchanged to mimalloc, a sound allocator; the counting
    // touches only atomics, and counts only what mimalloc gave.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: the caller's contract, passed on.
            let ptr = unsafe { mimalloc::MiMalloc.alloc(layout) };
            if !ptr.is_null() {
                heap_grew(layout.size());
            }
            ptr
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            // SAFETY: the caller's contract, passed on (mimalloc's zeroing, which leaves fresh
            // pages untouched).
            let ptr = unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) };
            if !ptr.is_null() {
                heap_grew(layout.size());
            }
            ptr
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            heap_shrank(layout.size());
            // SAFETY: the caller's contract, passed on.
            unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: the caller's contract, passed on.
            let moved = unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) };
            // On failure the old block stays as it was.
            if !moved.is_null() {
                if new_size > layout.size() {
                    heap_grew(new_size - layout.size());
                } else {
                    heap_shrank(layout.size() - new_size);
                }
            }
            moved
        }
    }
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    artlint::cli::main()
}

/// mimalloc's arenas may be backed by transparent huge pages: a touched byte then costs 2 MiB
/// of resident memory and a 2 MiB page clear. artlint's allocations are small and short-lived,
/// so it opts out (on the 20,000-post benchmark corpus: peak RSS about 155 MB → 125 MB, the
/// same speed).
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours; if the
    // kernel refuses, nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

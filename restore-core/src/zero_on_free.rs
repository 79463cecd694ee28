//! An allocator that overwrites every block with zeros before it is freed.
//!
//! Zeroing the types that hold secrets (`Secret`, `SecretBytes`) covers the copies the
//! code tracks. It misses the untracked copies: the buffer a `String` leaves behind
//! when it grows, the text of each keystroke of a password field, the intermediate buffers
//! of JSON serialization. In wasm all of them stay readable in linear memory until the
//! allocator hands the block out again. Installed as the global allocator of the browser
//! app, this wrapper clears them all when they are freed, so once the page drops a
//! password, no stale copy of it is left in wasm memory.
//!
//! The cost is one pass of writes over each freed block, which is small next to the work
//! that filled the block.
//!
//! NOTE: the end-to-end search of wasm memory for dropped secrets also passes without this
//! allocator, because in those flows the freed blocks were reused before the search. It
//! guards the flows the tests do not reach; its own tests are the host tests below.

use std::alloc::{GlobalAlloc, Layout};
use std::ptr;
use std::sync::atomic::{compiler_fence, Ordering};

/// Wraps an allocator so that every block is zeroed before the inner allocator frees it.
pub struct ZeroOnFree<A>(pub A);

/// Overwrites `len` bytes at `block` with zeros in a way the optimizer cannot remove,
/// even though the block is about to be freed.
///
/// # Safety
///
/// `block` must be valid for writes of `len` bytes.
unsafe fn clear(block: *mut u8, len: usize) {
    for offset in 0..len {
        // SAFETY: the caller guarantees `block..block + len` is writable.
        unsafe { ptr::write_volatile(block.add(offset), 0) };
    }
    compiler_fence(Ordering::SeqCst);
}

// SAFETY: every method forwards to the inner allocator with the layout it was given, and
// `realloc` only ever frees a block after copying what the caller may still read.
unsafe impl<A: GlobalAlloc> GlobalAlloc for ZeroOnFree<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: the caller passes a live block of `layout.size()` bytes from this allocator.
        unsafe {
            clear(block, layout.size());
            self.0.dealloc(block, layout);
        }
    }

    /// Moves the block itself rather than letting the inner allocator do it, because the
    /// inner allocator would free the old block with its contents intact.
    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `GlobalAlloc::realloc` requires `new_size`, rounded up to the alignment,
        // not to overflow `isize`, which is what `from_size_align_unchecked` needs.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: `new_layout` has a non-zero size, as `realloc`'s contract requires.
        let moved = unsafe { self.0.alloc(new_layout) };
        if moved.is_null() {
            // The old block stays valid and untouched, as `realloc` promises on failure.
            return moved;
        }
        // SAFETY: both blocks are live and distinct, and the copy stays within the smaller.
        unsafe {
            ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            clear(block, layout.size());
            self.0.dealloc(block, layout);
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use std::alloc::System;
    use std::cell::RefCell;

    use super::*;

    /// The system allocator, recording the contents of each block as it is freed.
    struct Recording {
        freed: RefCell<Vec<Vec<u8>>>,
    }

    // SAFETY: tests use it from one thread only.
    unsafe impl Sync for Recording {}

    unsafe impl GlobalAlloc for Recording {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            unsafe { System.alloc(layout) }
        }

        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            let contents = unsafe { std::slice::from_raw_parts(block, layout.size()) }.to_vec();
            self.freed.borrow_mut().push(contents);
            unsafe { System.dealloc(block, layout) }
        }
    }

    fn recording() -> ZeroOnFree<Recording> {
        ZeroOnFree(Recording {
            freed: RefCell::new(Vec::new()),
        })
    }

    fn fill(block: *mut u8, text: &[u8]) {
        unsafe { ptr::copy_nonoverlapping(text.as_ptr(), block, text.len()) };
    }

    fn read(block: *const u8, len: usize) -> Vec<u8> {
        unsafe { std::slice::from_raw_parts(block, len) }.to_vec()
    }

    #[test]
    fn freed_block_arrives_zeroed() {
        let allocator = recording();
        let layout = Layout::from_size_align(12, 1).unwrap();
        unsafe {
            let block = allocator.alloc(layout);
            fill(block, b"M365-Demo-1!");
            allocator.dealloc(block, layout);
        }
        assert_eq!(*allocator.0.freed.borrow(), vec![vec![0u8; 12]]);
    }

    #[test]
    fn growing_zeroes_old_block() {
        let allocator = recording();
        let layout = Layout::from_size_align(8, 8).unwrap();
        unsafe {
            let block = allocator.alloc(layout);
            fill(block, b"password");
            let grown = allocator.realloc(block, layout, 64);
            assert_eq!(read(grown, 8), b"password");
            assert_eq!(grown as usize % 8, 0, "alignment kept");
            allocator.dealloc(grown, Layout::from_size_align(64, 8).unwrap());
        }
        let freed = allocator.0.freed.borrow();
        assert_eq!(freed.len(), 2);
        assert!(freed.iter().all(|block| block.iter().all(|&b| b == 0)));
    }

    #[test]
    fn shrinking_keeps_prefix() {
        let allocator = recording();
        let layout = Layout::from_size_align(16, 1).unwrap();
        unsafe {
            let block = allocator.alloc(layout);
            fill(block, b"0123456789abcdef");
            let shrunk = allocator.realloc(block, layout, 4);
            assert_eq!(read(shrunk, 4), b"0123");
            allocator.dealloc(shrunk, Layout::from_size_align(4, 1).unwrap());
        }
        assert_eq!(allocator.0.freed.borrow()[0], vec![0u8; 16]);
    }

    #[test]
    fn growing_string_leaves_no_copies() {
        // A string growing one byte at a time, as a typed password does: every buffer it
        // outgrows must reach the inner allocator zeroed.
        let allocator = recording();
        let mut text = Vec::new();
        let layout_of = |capacity: usize| Layout::from_size_align(capacity, 1).unwrap();
        unsafe {
            let mut capacity = 1;
            let mut block = allocator.alloc(layout_of(capacity));
            for (typed, &byte) in b"Secret-Word".iter().enumerate() {
                if typed == capacity {
                    block = allocator.realloc(block, layout_of(capacity), capacity * 2);
                    capacity *= 2;
                }
                *block.add(typed) = byte;
                text.push(byte);
            }
            assert_eq!(read(block, text.len()), text);
            allocator.dealloc(block, layout_of(capacity));
        }
        let freed = allocator.0.freed.borrow();
        assert!(freed.len() > 1);
        assert!(freed.iter().flatten().all(|&b| b == 0));
    }
}

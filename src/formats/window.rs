//! The process-wide permit for large decompression windows.
//!
//! A decoder's history window (an xz or 7z LZMA dictionary, a zstd
//! window) is declared in the data and fills as the output grows: up to
//! [`Limits::free_window`] a decoder holds it on its own; a larger one,
//! up to [`Limits::max_window`], needs the one permit of the process
//! first. One worker at a time holds it; the others wait for their turn
//! (first come, first served), so that big windows add up to at most
//! `max_window` whatever the number of workers: with two workers, at
//! most one big window and one of up to `free_window`.
//!
//! The worker holding the permit never waits for it again (a big-window
//! member nested in a big-window archive would wait for itself): its
//! nested windows are granted while all it holds stays within
//! `max_window`, else refused ([`Refused::Nested`]): a recorded gap,
//! never a deadlock, and decided by the file alone (not by what other
//! workers hold), so the same file always gives the same result. A window
//! over `max_window` is refused as [`Refused::OverCap`]. Both are
//! `archive_limit` gaps whose message says how to raise the limit
//! ([`crate::outcome::SkipReason::WindowLimit`]).

use std::cell::Cell;
use std::sync::{Condvar, Mutex, PoisonError};

use super::limits::Limits;

thread_local! {
    /// Bytes of big windows this thread holds: more than 0 only while it
    /// holds the permit.
    static HELD: Cell<u64> = const { Cell::new(0) };
}

/// Who may hold big windows: whether a worker holds the permit, and the
/// queue of waiting workers as tickets (served in order).
struct Turns {
    taken: bool,
    next_ticket: u64,
    serving: u64,
}

static TURNS: Mutex<Turns> = Mutex::new(Turns {
    taken: false,
    next_ticket: 0,
    serving: 0,
});
static TURN: Condvar = Condvar::new();

/// One big window held under the permit; given back when dropped (the
/// permit with the last of them).
#[derive(Debug)]
pub struct Permit {
    bytes: u64,
}

/// Why a window was not granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Larger than [`Limits::max_window`].
    OverCap,
    /// Nested in big windows of this worker that leave no room for it
    /// under [`Limits::max_window`].
    Nested,
}

/// Takes a window of `bytes` under `limits`: `Ok(None)` for a window a
/// decoder may hold on its own, `Ok(Some(permit))` for a larger one (after
/// waiting for the permit, unless this worker holds it already), or why it
/// is refused.
pub fn take(bytes: u64, limits: &Limits) -> Result<Option<Permit>, Refused> {
    if bytes <= limits.free_window {
        return Ok(None);
    }
    if bytes > limits.max_window {
        return Err(Refused::OverCap);
    }
    let held = HELD.get();
    if held > 0 {
        // nested: this worker holds the permit; never wait for it
        if held + bytes > limits.max_window {
            return Err(Refused::Nested);
        }
    } else {
        let mut turns = TURNS.lock().unwrap_or_else(PoisonError::into_inner);
        let ticket = turns.next_ticket;
        turns.next_ticket += 1;
        while turns.serving != ticket || turns.taken {
            turns = TURN.wait(turns).unwrap_or_else(PoisonError::into_inner);
        }
        turns.serving += 1;
        turns.taken = true;
    }
    HELD.set(held + bytes);
    Ok(Some(Permit { bytes }))
}

impl Drop for Permit {
    fn drop(&mut self) {
        let held = HELD.get() - self.bytes;
        HELD.set(held);
        if held == 0 {
            let mut turns = TURNS.lock().unwrap_or_else(PoisonError::into_inner);
            turns.taken = false;
            TURN.notify_all();
        }
    }
}

/// A stream decoder's window, declared ahead and filled as the output
/// grows: taken from the permit only once it fills past
/// [`Limits::free_window`], so that a small file with a big declared
/// window (`xz -9` of a few KB) never waits for the permit.
#[derive(Debug)]
pub struct Lazy {
    bytes: u64,
    permit: Option<Permit>,
}

impl Lazy {
    /// A window of `bytes`; one over [`Limits::max_window`] is refused at
    /// once, before anything is allocated.
    pub fn new(bytes: u64, limits: &Limits) -> Result<Lazy, Refused> {
        if bytes > limits.max_window {
            return Err(Refused::OverCap);
        }
        Ok(Lazy {
            bytes,
            permit: None,
        })
    }

    /// Called before the window fills to `filled` bytes: takes it
    /// ([`take`]) the first time that is past [`Limits::free_window`].
    pub fn fill(&mut self, filled: u64, limits: &Limits) -> Result<(), Refused> {
        if self.permit.is_none() && filled > limits.free_window {
            self.permit = take(self.bytes, limits)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    const MIB: u64 = 1 << 20;

    // one test for the whole permit: tests run in parallel threads, and
    // the permit is process-wide
    #[test]
    fn big_windows_take_one_permit() {
        let limits = Limits::default().with_max_window(80 * MIB);
        // small windows need no permit; too large ones are refused
        assert!(take(limits.free_window, &limits).unwrap().is_none());
        assert_eq!(take(81 * MIB, &limits).unwrap_err(), Refused::OverCap);
        let outer = take(40 * MIB, &limits).unwrap().unwrap();
        // nested on the same worker: granted while all it holds fits
        let inner = take(34 * MIB, &limits).unwrap().unwrap();
        assert_eq!(take(33 * MIB, &limits).unwrap_err(), Refused::Nested);
        // another worker waits until every window of the holder is given back
        let (tx, rx) = mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let p = take(48 * MIB, &limits).unwrap().unwrap();
            tx.send(()).unwrap();
            drop(p);
        });
        drop(outer);
        assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
        drop(inner);
        rx.recv_timeout(Duration::from_secs(10)).unwrap();
        waiter.join().unwrap();
        assert_eq!(HELD.get(), 0);
        // a declared window is taken only once it fills past the free window
        let mut lazy = Lazy::new(64 * MIB, &limits).unwrap();
        lazy.fill(limits.free_window, &limits).unwrap();
        assert_eq!(HELD.get(), 0);
        lazy.fill(limits.free_window + 1, &limits).unwrap();
        assert_eq!(HELD.get(), 64 * MIB);
        drop(lazy);
        assert_eq!(Lazy::new(81 * MIB, &limits).unwrap_err(), Refused::OverCap);
        assert_eq!(HELD.get(), 0);
    }
}

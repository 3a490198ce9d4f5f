//! Standard input as a source (`leakscan scan -`): a stream, read once.
//! On Unix it is read only when `poll(2)` says data (or its end) is there,
//! looking at the scan's stop ten times a second meanwhile, so that a
//! signal stops a scan whose input is a pipe or FIFO that stays open
//! without data (a read would otherwise block past the signal: the
//! handlers restart system calls).

use std::io::{self, Read};

use super::{Input, OpenOptions, Source};
use crate::outcome::Outcome;
use crate::scan::Stop;

/// Standard input.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stdin;

/// Standard input, read when it has data, until the scan stops.
struct Waiting {
    stop: Stop,
}

impl Input for Waiting {}

impl Read for Waiting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.stop.interrupted().is_some() {
                // the file is then recorded as interrupted, not failed
                return Err(io::Error::other("the scan was stopped"));
            }
            if ready(100)? {
                return io::stdin().lock().read(buf);
            }
        }
    }
}

/// Whether standard input has data, its end or an error to read within
/// `ms` milliseconds.
#[cfg(unix)]
fn ready(ms: i32) -> io::Result<bool> {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, its count 1; poll only writes `revents`
    let n = unsafe { libc::poll(&mut fd, 1, ms) };
    match n {
        n if n > 0 => Ok(true),
        0 => Ok(false),
        _ => {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                Ok(false)
            } else {
                // not pollable: read it as it is
                Ok(true)
            }
        }
    }
}

#[cfg(not(unix))]
fn ready(_ms: i32) -> io::Result<bool> {
    Ok(true)
}

impl Source for Stdin {
    fn open(&self, opts: &OpenOptions) -> Result<Box<dyn Input>, Outcome> {
        Ok(Box::new(Waiting {
            stop: opts.stop.clone(),
        }))
    }
}

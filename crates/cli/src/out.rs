//! Standard output that a closed pipe (`statuswatch incidents | head`) ends
//! quietly instead of with a panic.

use std::io::{ErrorKind, Write};

/// Writes one line to standard output.
pub fn write_line(line: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}") {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// `println!` through [`write_line`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::write_line(&format!($($arg)*))
    };
}
pub(crate) use outln;

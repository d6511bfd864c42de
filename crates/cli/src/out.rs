//! Standard output that a closed pipe (`statuswatch incidents | head`) ends
//! quietly instead of with a panic, and that shows a vendor's control
//! characters (an ESC sequence in a title, a bare CR) as escapes rather than
//! letting the terminal obey them: every line the CLI writes goes through here.

use std::io::{ErrorKind, Write};

/// Writes one line to standard output.
pub fn write_line(line: &str) {
    let line = statuswatch_view::clean::for_terminal(line);
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}") {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// Writes one line to standard error, controls shown as escapes.
pub fn write_err_line(line: &str) {
    eprintln!("{}", statuswatch_view::clean::for_terminal(line));
}

/// `eprintln!` through [`write_err_line`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::out::write_err_line(&format!($($arg)*))
    };
}
pub(crate) use errln;

/// `println!` through [`write_line`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::write_line(&format!($($arg)*))
    };
}
pub(crate) use outln;

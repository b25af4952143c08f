use std::process::ExitCode;

/// A post's parse allocates many small, short-lived values on every thread at once; mimalloc
/// serves those several times faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    artlint::cli::main()
}

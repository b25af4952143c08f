use std::process::ExitCode;

fn main() -> ExitCode {
    artlint::cli::main()
}

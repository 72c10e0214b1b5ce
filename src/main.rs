//! The `clausewatch` binary: a thin shell over [`clausewatch::cli`].

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(clausewatch::cli::main())
}

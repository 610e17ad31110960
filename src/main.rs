//! The `parindex` binary: the library's command line, and its exit code.

fn main() -> std::process::ExitCode {
    parindex::main()
}

use std::process::ExitCode;

use ucwa_server::{parse_args, Command, HELP};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(c)) => *c,
        Ok(Command::Help) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("ucwa-server: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("ucwa-server: cannot listen on {}: {e}", config.listen);
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => eprintln!("ucwa-server: listening on http://{addr} (root: http://{addr}/autodiscover/autodiscoverservice.svc/root)"),
        Err(_) => eprintln!("ucwa-server: listening"),
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match ucwa_server::serve_with_shutdown(config, listener, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ucwa-server: {e}");
            ExitCode::FAILURE
        }
    }
}

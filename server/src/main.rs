use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    // `--help` exits 0 with the help; a bad argument exits 2 with clap's message.
    let config = ucwa_server::parse_args(std::env::args_os()).unwrap_or_else(|e| e.exit());
    ucwa_server::log::init();
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!("ucwa-server: cannot listen on {}: {e}", config.listen);
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => tracing::info!("ucwa-server: listening on http://{addr} (root: http://{addr}/autodiscover/autodiscoverservice.svc/root)"),
        Err(_) => tracing::info!("ucwa-server: listening"),
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match ucwa_server::serve_with_shutdown(config, listener, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("ucwa-server: {e}");
            ExitCode::FAILURE
        }
    }
}

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    // `--help` exits 0 with the help; a bad argument exits 2 with clap's message.
    let config = ucwa_server::parse_args(std::env::args_os()).unwrap_or_else(|e| e.exit());
    ucwa_server::log::init();
    let wanted = if config.pools.is_empty() {
        vec![("default".to_string(), config.listen)]
    } else {
        config.pools.clone()
    };
    let mut listeners = Vec::new();
    for (name, addr) in wanted {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                tracing::error!("ucwa-server: cannot listen on {addr} (pool {name}): {e}");
                return ExitCode::FAILURE;
            }
        };
        match listener.local_addr() {
            Ok(addr) => tracing::info!("ucwa-server: pool {name} listening on http://{addr} (root: http://{addr}/autodiscover/autodiscoverservice.svc/root)"),
            Err(_) => tracing::info!("ucwa-server: pool {name} listening"),
        }
        listeners.push((name, listener));
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match ucwa_server::serve_pools_with_shutdown(config, listeners, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("ucwa-server: {e}");
            ExitCode::FAILURE
        }
    }
}

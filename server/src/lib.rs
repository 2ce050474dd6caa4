//! A UCWA 2.0 presence server built from Microsoft's published UCWA reference pages.
//!
//! [`serve`] runs it on a bound listener (tests start it in-process on `127.0.0.1:0`);
//! `main.rs` is a thin command-line wrapper.

pub mod config;
pub mod directory;
pub mod presence;

mod auth;
mod batch;
mod cli;
mod clock;
mod control;
mod cors;
mod demo;
mod error;
mod etag;
mod events;
mod faults;
mod http;
mod links;
pub mod log;
mod photo;
mod random;
mod resources;
mod routes;
mod state;
mod xframe;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;

pub use cli::parse_args;
pub use config::Config;
pub use directory::Directory;

/// Serves until the process ends.
pub async fn serve(config: Config, listener: TcpListener) -> std::io::Result<()> {
    serve_with_shutdown(config, listener, std::future::pending()).await
}

/// Serves until `shutdown` completes.
pub async fn serve_with_shutdown<F>(
    config: Config,
    listener: TcpListener,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let directory = match &config.users_file {
        Some(path) => Directory::load(path)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
        None => Directory::builtin(),
    };
    let addr = listener.local_addr()?;
    let origins = cors::Origins::new(&config.allow_origins, addr.port());
    let state = Arc::new(state::Shared::new(
        config,
        directory,
        origins,
        addr.to_string(),
        clock::now(),
    ));
    let router = routes::router(state.clone());
    // Batch parts are executed by the same router.
    let _ = state.router.set(router.clone());

    let ticker = tokio::spawn(housekeeping(state.clone()));
    let demo = state
        .cfg
        .demo
        .then(|| tokio::spawn(demo::run(state.clone())));
    let result = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    ticker.abort();
    if let Some(d) = demo {
        d.abort();
    }
    result
}

/// Expiry of tokens, applications and subscriptions; idle presence.
async fn housekeeping(state: state::AppState) {
    loop {
        let interval = state.lock().tick_interval();
        tokio::time::sleep(interval).await;
        state.lock().tick(clock::now());
    }
}

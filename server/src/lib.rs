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
mod cwa2007;
mod demo;
mod error;
mod etag;
mod events;
mod faults;
mod http;
mod links;
pub mod log;
mod negotiate;
mod photo;
mod pools;
mod random;
mod requests;
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

/// Serves one pool until the process ends.
pub async fn serve(config: Config, listener: TcpListener) -> std::io::Result<()> {
    serve_with_shutdown(config, listener, std::future::pending()).await
}

/// Serves one pool (the first `--pool` name, else `default`) until `shutdown` completes.
pub async fn serve_with_shutdown<F>(
    config: Config,
    listener: TcpListener,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let name = config
        .pools
        .first()
        .map_or_else(|| pools::DEFAULT.to_string(), |(n, _)| n.clone());
    serve_pools_with_shutdown(config, vec![(name, listener)], shutdown).await
}

/// Serves every pool on its listener, all sharing one state, until `shutdown` completes.
pub async fn serve_pools_with_shutdown<F>(
    config: Config,
    listeners: Vec<(String, TcpListener)>,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let directory = match &config.users_file {
        Some(path) => Directory::load(path).map_err(invalid)?,
        None => Directory::builtin(),
    };
    let mut list = Vec::new();
    for (name, listener) in &listeners {
        let addr = listener.local_addr()?;
        list.push(pools::Pool {
            name: name.clone(),
            addr,
        });
    }
    let pools = pools::Pools::new(list, &directory, &config.homes).map_err(invalid)?;
    let first = Arc::new(state::Shared::new(config, directory, pools, clock::now()));
    let mut states = vec![first.clone()];
    for pool in first.pools.all().iter().skip(1) {
        states.push(Arc::new(first.sibling(pool)));
    }

    let ticker = tokio::spawn(housekeeping(first.clone()));
    let demo = first
        .cfg
        .demo
        .then(|| tokio::spawn(demo::run(first.clone())));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut servers = Vec::new();
    for ((_, listener), state) in listeners.into_iter().zip(states) {
        let router = routes::router(state.clone());
        // Batch parts are executed by the same router.
        let _ = state.router.set(router.clone());
        let mut stopped = stopped.clone();
        servers.push(tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.wait_for(|s| *s).await;
                })
                .await
        }));
    }
    let stopper = tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let mut result = Ok(());
    for server in servers {
        let outcome = server
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        if let (Err(e), true) = (outcome, result.is_ok()) {
            result = Err(e);
        }
    }
    stopper.abort();
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

//! The reference server's HTTP surface, coverage-guided (`ucwa_fuzz::http` has the model and the
//! properties): random methods, paths (UCWA, CWA 2007, the logon forms, `/_control`), headers
//! and bodies, after a sign-in, in-process.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::http::{run, Session};

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
}

fuzz_target!(|session: Session| {
    RUNTIME.with(|runtime| runtime.block_on(run(session)));
});

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_ucwa-server");

#[test]
fn help_documents_every_flag() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--listen",
        "--users",
        "--allow-origin",
        "--demo",
        "--control",
        "--token-lifetime",
        "--app-idle-timeout",
        "--minute-secs",
        "--subscription-lead",
        "--pget-min-timeout",
        "--pget-max-timeout",
        "--allow-short-pget-timeout",
        "--medium-window-ms",
        "--low-window-ms",
        "--idle-after",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    let bad = Command::new(BIN).arg("--no-such-flag").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[tokio::test]
async fn binary_serves_and_logs_requests() {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--control"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .split("listening on ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let v: Value = reqwest::get(format!("{base}/autodiscover/autodiscoverservice.svc/root"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["_links"]["user"]["href"]
        .as_str()
        .unwrap()
        .starts_with(&base));
    let log = lines.next().unwrap().unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    let fields: Vec<&str> = log.split_whitespace().collect();
    assert_eq!(
        &fields[..4],
        [
            "GET",
            "/autodiscover/autodiscoverservice.svc/root",
            "200",
            "-"
        ],
        "{log}"
    );
    assert!(fields[4].ends_with("ms"));
}

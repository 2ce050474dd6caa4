//! The binary's command line and request log, checked against server/README.md.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStderr, Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_ucwa-server");
const README: &str = include_str!("../../README.md");

/// One flag as documented: its value name (if it takes one) and its default (if literal).
#[derive(Debug, PartialEq)]
struct Flag {
    value: Option<String>,
    default: Option<String>,
}

/// The flag table under "## Command line": `| `--flag VALUE` | default | meaning |`.
fn readme_flags() -> BTreeMap<String, Flag> {
    let section = README
        .split("\n## Command line")
        .nth(1)
        .expect("README has a Command line section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut flags = BTreeMap::new();
    for row in section.lines().filter(|l| l.starts_with("| `-")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (names, default) = (cells[1], cells[2]);
        // Literal defaults are written in code or as bare numbers; prose ones are left out.
        let default = default.trim_matches('`');
        let default = (!default.is_empty()
            && default
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ':'))
        .then(|| default.to_string());
        // Code spans (odd pieces between backticks) hold `--flag VALUE`.
        for span in names.split('`').skip(1).step_by(2) {
            let mut words = span.split_whitespace();
            let name = words.next().expect("a flag name").to_string();
            let value = words.next().map(str::to_string);
            flags.insert(
                name,
                Flag {
                    value,
                    default: default.clone(),
                },
            );
        }
    }
    assert!(flags.len() > 20, "README flag table not found: {flags:?}");
    flags
}

/// The flags `--help` lists, with the help text of each (wrapped lines joined).
fn help_flags(help: &str) -> BTreeMap<String, (Option<String>, String)> {
    let mut flags: BTreeMap<String, (Option<String>, String)> = BTreeMap::new();
    let mut current: Vec<String> = Vec::new();
    for line in help.lines() {
        let indent = line.len() - line.trim_start().len();
        let text = line.trim();
        if text.starts_with('-') && indent < 8 {
            current.clear();
            let mut value = None;
            let mut words = text.split_whitespace().peekable();
            while let Some(w) = words.next_if(|w| w.starts_with('-') || w.starts_with('<')) {
                match w.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
                    Some(v) => value = Some(v.to_string()),
                    None => current.push(w.trim_end_matches(',').to_string()),
                }
            }
            let rest: Vec<&str> = words.collect();
            for name in &current {
                flags.insert(name.clone(), (value.clone(), rest.join(" ")));
            }
        } else if !text.is_empty() && indent >= 8 {
            for name in &current {
                if let Some((_, about)) = flags.get_mut(name) {
                    about.push(' ');
                    about.push_str(text);
                }
            }
        } else {
            current.clear();
        }
    }
    flags
}

#[test]
fn help_and_readme_document_the_same_flags() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = help_flags(&String::from_utf8(out.stdout).unwrap());
    let readme = readme_flags();
    let in_help: Vec<&String> = help.keys().collect();
    let in_readme: Vec<&String> = readme.keys().collect();
    assert_eq!(
        in_help, in_readme,
        "--help and server/README.md list different flags"
    );
    for (name, flag) in &readme {
        let (value, about) = &help[name];
        assert_eq!(value, &flag.value, "{name}: value name in --help vs README");
        if let Some(d) = &flag.default {
            assert!(
                about.contains(&format!("[default: {d}]")),
                "{name}: README says default {d}, --help says: {about}"
            );
        }
    }
}

#[test]
fn bad_values_are_refused_with_exit_code_2() {
    for (args, names) in [
        (&["--listen", "nope"][..], "--listen"),
        (&["--listen"], "--listen"),
        (&["--minute-secs", "-1"], "--minute-secs"),
        (&["--minute-secs", "3601"], "--minute-secs"),
        (&["--token-lifetime", "0"], "--token-lifetime"),
        (&["--idle-after", "soon"], "--idle-after"),
        (&["--max-subscriptions", "-5"], "--max-subscriptions"),
        (&["--allow-origin", "not an origin"], "--allow-origin"),
        (
            &["--pget-min-timeout", "60", "--pget-max-timeout", "30"],
            "--pget-max-timeout",
        ),
        (&["--no-such-flag"], "--no-such-flag"),
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error:") && stderr.contains(names),
            "{args:?}: {stderr}"
        );
    }
}

/// Starts the binary on a free port; returns it, its base URL and its stderr after the
/// "listening on" line.
fn start(extra: &[&str]) -> (Child, String, BufReader<ChildStderr>) {
    start_with_env(extra, &[])
}

/// [`start`] with extra environment variables.
pub fn start_with_env(
    extra: &[&str],
    env: &[(&str, OsString)],
) -> (Child, String, BufReader<ChildStderr>) {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--control"])
        .args(extra)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let base = first
        .split("listening on ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no listening line: {first}"))
        .to_string();
    (child, base, stderr)
}

async fn root(base: &str) -> Value {
    reqwest::get(format!("{base}/autodiscover/autodiscoverservice.svc/root"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn binary_serves_and_logs_one_line_per_request() {
    let (mut child, base, mut stderr) = start(&[]);
    let v = root(&base).await;
    assert!(v["_links"]["user"]["href"]
        .as_str()
        .unwrap()
        .starts_with(&base));
    // The line is written before the response is sent, so it is there now.
    let mut log = String::new();
    stderr.read_line(&mut log).unwrap();
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
    assert_eq!(fields.len(), 5, "{log}");
    assert!(fields[4].strip_suffix("ms").unwrap().parse::<u64>().is_ok());
}

#[tokio::test]
async fn quiet_logs_no_requests() {
    let (mut child, base, mut stderr) = start(&["--quiet"]);
    root(&base).await;
    root(&base).await;
    child.kill().unwrap();
    let _ = child.wait();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "--quiet must print nothing per request");
}

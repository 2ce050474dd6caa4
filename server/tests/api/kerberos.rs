//! A real MIT Kerberos realm for one test (shared/KERBEROS.md's recipe): `CONTOSO.TEST` in a
//! temp dir, its KDC a direct child on a free loopback port (killed on drop), principals for
//! the test's users and `HTTP/localhost`, the service keytab and one ticket cache per user.
//!
//! The server under test runs as the binary with [`Realm::server_env`]; the test's client side
//! ([`Realm::spnego_token`]) uses libgssapi in this process, which reads `KRB5_CONFIG` and
//! `KRB5CCNAME` from the environment: those two are set under a lock while the client runs.

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::net::{Ipv4Addr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use libgssapi::context::{ClientCtx, CtxFlags};
use libgssapi::name::Name;
use libgssapi::oid::{GSS_MECH_SPNEGO, GSS_NT_HOSTBASED_SERVICE};

pub const REALM: &str = "CONTOSO.TEST";
/// Every test principal's password.
const PASSWORD: &str = "Kerberos-test-1";
const SETUP_HINT: &str = "the MIT Kerberos tools are missing: run scripts/setup (Debian packages krb5-kdc, krb5-admin-server, krb5-user)";

/// Serializes the client side's use of the process environment.
static CLIENT_ENV: Mutex<()> = Mutex::new(());

pub struct Realm {
    pub dir: PathBuf,
    pub port: u16,
    kdc: Child,
}

/// A Kerberos tool from PATH or /usr/sbin (where Debian puts the KDC's).
fn tool(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} not found: {SETUP_HINT}"))
}

/// A fresh directory under the system temp dir.
fn temp_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("ucwa-krb5-{}-{n}", std::process::id()));
        if fs::create_dir(&dir).is_ok() {
            return dir;
        }
    }
}

/// A loopback port free for both TCP and UDP right now (a port some other KDC answers on
/// would hand out tickets this realm's keytab cannot decrypt).
fn free_port() -> u16 {
    loop {
        let tcp = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = tcp.local_addr().unwrap().port();
        if UdpSocket::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return port;
        }
    }
}

impl Realm {
    /// Creates the realm with a principal (and a ticket cache `cc-USER`) per user, starts its
    /// KDC and waits until it accepts connections.
    pub fn start(users: &[&str]) -> Realm {
        let kdc_bin = tool("krb5kdc");
        let (kdb5_util, kadmin, kinit) = (tool("kdb5_util"), tool("kadmin.local"), tool("kinit"));
        let dir = temp_dir();
        let port = free_port();
        let d = dir.display();
        fs::write(
            dir.join("krb5.conf"),
            format!(
                "[libdefaults]\n default_realm = {REALM}\n dns_lookup_kdc = false\n \
                 dns_lookup_realm = false\n rdns = false\n dns_canonicalize_hostname = false\n \
                 udp_preference_limit = 1\n default_ccache_name = FILE:{d}/cc\n \
                 default_keytab_name = FILE:{d}/http.keytab\n\
                 [realms]\n {REALM} = {{\n  kdc = 127.0.0.1:{port}\n }}\n\
                 [domain_realm]\n localhost = {REALM}\n"
            ),
        )
        .unwrap();
        fs::write(
            dir.join("kdc.conf"),
            format!(
                "[kdcdefaults]\n kdc_listen = 127.0.0.1:{port}\n kdc_tcp_listen = 127.0.0.1:{port}\n\
                 [realms]\n {REALM} = {{\n  database_name = {d}/principal\n  \
                 key_stash_file = {d}/stash\n  acl_file = {d}/kadm5.acl\n  \
                 kdc_listen = 127.0.0.1:{port}\n  kdc_tcp_listen = 127.0.0.1:{port}\n }}\n\
                 [logging]\n kdc = FILE:{d}/kdc.log\n"
            ),
        )
        .unwrap();
        let mut create = command(&dir, &kdb5_util);
        create.args(["create", "-s", "-r", REALM, "-P", PASSWORD]);
        run(create, "");
        let service = format!("HTTP/localhost@{REALM}");
        let keytab = dir.join("http.keytab");
        let mut queries: Vec<String> = users
            .iter()
            .map(|u| format!("addprinc -pw {PASSWORD} {u}@{REALM}"))
            .collect();
        queries.push(format!("addprinc -randkey {service}"));
        queries.push(format!("ktadd -k {} {service}", keytab.display()));
        for q in &queries {
            let mut c = command(&dir, &kadmin);
            c.args(["-q", q]);
            run(c, "");
        }
        let log = fs::File::create(dir.join("kdc.stdout")).unwrap();
        // A direct child with stdio of its own (KERBEROS.md: else a piping caller hangs).
        let kdc = command(&dir, &kdc_bin)
            .arg("-n")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut realm = Realm { dir, port, kdc };
        realm.wait_for_kdc();
        for user in users {
            let cache = format!("FILE:{}", realm.ccache(user).display());
            let mut c = command(&realm.dir, &kinit);
            c.env("KRB5CCNAME", cache).arg(user);
            run(c, PASSWORD);
        }
        realm
    }

    fn wait_for_kdc(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(Some(status)) = self.kdc.try_wait() {
                panic!("krb5kdc exited ({status}): {}", self.kdc_log());
            }
            if TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "krb5kdc does not listen on 127.0.0.1:{}: {}",
                self.port,
                self.kdc_log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kdc_log(&self) -> String {
        ["kdc.stdout", "kdc.log"]
            .iter()
            .map(|f| fs::read_to_string(self.dir.join(f)).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The ticket cache file of `user` (after `start`, it holds their TGT).
    pub fn ccache(&self, user: &str) -> PathBuf {
        self.dir.join(format!("cc-{user}"))
    }

    /// What the server process needs: its keytab, a replay cache of its own, the realm's
    /// configuration.
    pub fn server_env(&self) -> Vec<(&'static str, OsString)> {
        let file = |name: &str, scheme: &str| {
            OsString::from(format!("{scheme}:{}", self.dir.join(name).display()))
        };
        vec![
            ("KRB5_KTNAME", file("http.keytab", "FILE")),
            ("KRB5RCACHENAME", file("rcache2", "file2")),
            ("KRB5_CONFIG", self.dir.join("krb5.conf").into_os_string()),
        ]
    }

    /// The SPNEGO token a browser holding the tickets of `ccache` sends for `HTTP@localhost`
    /// (GSS's error when it cannot make one, e.g. the cache holds no ticket).
    pub fn spnego_token(&self, ccache: &Path) -> Result<Vec<u8>, String> {
        let _env = CLIENT_ENV.lock().unwrap_or_else(|e| e.into_inner());
        // Only this lock's holder calls into GSS in this process, and Rust's own environment
        // readers (DNS lookups, process spawns) take std's environment lock.
        std::env::set_var("KRB5_CONFIG", self.dir.join("krb5.conf"));
        std::env::set_var("KRB5CCNAME", format!("FILE:{}", ccache.display()));
        let target = Name::new(b"HTTP@localhost", Some(GSS_NT_HOSTBASED_SERVICE))
            .map_err(|e| e.to_string())?;
        let mut ctx = ClientCtx::new(None, target, CtxFlags::empty(), Some(GSS_MECH_SPNEGO));
        match ctx.step(None, None) {
            Ok(Some(token)) => Ok(token.to_vec()),
            Ok(None) => Err("GSS produced no token".into()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// `program` with the realm's configuration (client and KDC side).
fn command(dir: &Path, program: &Path) -> Command {
    let mut c = Command::new(program);
    c.env("KRB5_CONFIG", dir.join("krb5.conf"))
        .env("KRB5_KDC_PROFILE", dir.join("kdc.conf"));
    c
}

/// Runs a realm tool to completion with `input` on stdin (kinit reads the password there).
fn run(mut c: Command, input: &str) {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{c:?}: {e} ({SETUP_HINT})"));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{c:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Drop for Realm {
    fn drop(&mut self) {
        let _ = self.kdc.kill();
        let _ = self.kdc.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

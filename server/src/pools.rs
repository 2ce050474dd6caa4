//! Pools (`--pool NAME=ADDR`, `--home USER=POOL`): one process plays several front-end pools.
//!
//! Each pool has its own listener, origin, token issuer, XFrame page and links; all share one
//! directory and one presence model. A user is homed on one pool (the directory's `pool`
//! field, overridden by `--home`, else the first pool); signing in at another pool gets a
//! `redirect` there (redirect_ref, user_ref).

use std::collections::HashMap;
use std::net::SocketAddr;

use crate::directory::{normalize_uri, Directory};

/// The pool of a server started without `--pool`.
pub const DEFAULT: &str = "default";

#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    pub name: String,
    /// The bound address (the real port when the flag said 0).
    pub addr: SocketAddr,
}

/// Every pool of this process and the home pool of every user.
#[derive(Debug, Clone)]
pub struct Pools {
    pools: Vec<Pool>,
    /// User key → index into `pools`; users not listed live on the first pool.
    homes: HashMap<String, usize>,
}

impl Pools {
    /// Checks that every home names a pool and every `--home` a user.
    pub fn new(
        pools: Vec<Pool>,
        dir: &Directory,
        home_flags: &[(String, String)],
    ) -> Result<Pools, String> {
        if pools.is_empty() {
            return Err("at least one pool is needed".into());
        }
        let index = |name: &str| pools.iter().position(|p| p.name == name);
        let mut homes = HashMap::new();
        for user in dir.users() {
            if let Some(name) = &user.pool {
                let i = index(name).ok_or_else(|| {
                    format!("user `{}`: pool `{name}` is not one of --pool", user.uri)
                })?;
                homes.insert(user.key.clone(), i);
            }
        }
        for (user, name) in home_flags {
            let key = normalize_uri(user)
                .filter(|k| dir.get(k).is_some())
                .ok_or_else(|| format!("--home {user}={name}: no such user in the directory"))?;
            let i = index(name)
                .ok_or_else(|| format!("--home {user}={name}: no pool `{name}` (see --pool)"))?;
            homes.insert(key, i);
        }
        Ok(Pools { pools, homes })
    }

    pub fn get(&self, name: &str) -> Option<&Pool> {
        self.pools.iter().find(|p| p.name == name)
    }

    pub fn all(&self) -> &[Pool] {
        &self.pools
    }

    /// The pool `user` (a directory key) is homed on.
    pub fn home_of(&self, user: &str) -> &Pool {
        let i = self.homes.get(user).copied().unwrap_or(0);
        &self.pools[i.min(self.pools.len() - 1)]
    }
}

/// `http://…` of `target` for a client that reached this server as `host` (its Host header).
/// Pools listening on loopback or on every interface keep the host name the client used (so a
/// browser on `localhost` stays on `localhost`, which matters for cookies and Kerberos) with
/// the target's port; a pool on another address is named by that address.
pub fn base_for(target: &Pool, host: Option<&str>) -> String {
    let ip = target.addr.ip();
    let port = target.addr.port();
    let local = ip.is_loopback() || ip.is_unspecified();
    match host.and_then(host_name).filter(|_| local) {
        Some(name) => format!("http://{name}:{port}"),
        None if ip.is_unspecified() => format!("http://127.0.0.1:{port}"),
        None => format!("http://{}", target.addr),
    }
}

/// The host name of a Host header value (`name`, `name:port`, `[v6]:port`), if plausible.
fn host_name(host: &str) -> Option<&str> {
    let name = if host.starts_with('[') {
        &host[..=host.find(']')?]
    } else {
        host.split(':').next()?
    };
    let plausible = !name.is_empty()
        && name.len() <= 255
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    plausible.then_some(name)
}

/// `NAME=ADDR` of `--pool`: a name of letters, digits, `-` and `_`, and a socket address.
pub fn parse_pool_flag(v: &str) -> Result<(String, SocketAddr), String> {
    let (name, addr) = v
        .split_once('=')
        .ok_or_else(|| "expected NAME=ADDR, e.g. A=127.0.0.1:8091".to_string())?;
    let name = pool_name(name)?;
    let addr = addr
        .trim()
        .parse()
        .map_err(|_| format!("`{}` is not an address like 127.0.0.1:8091", addr.trim()))?;
    Ok((name, addr))
}

/// `USER=POOL` of `--home`.
pub fn parse_home_flag(v: &str) -> Result<(String, String), String> {
    let (user, pool) = v
        .split_once('=')
        .ok_or_else(|| "expected USER=POOL, e.g. sarad@contoso.com=B".to_string())?;
    let user = normalize_uri(user).ok_or_else(|| format!("`{user}` is not a SIP URI"))?;
    Ok((user, pool_name(pool)?))
}

fn pool_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    let ok = !name.is_empty()
        && name.len() <= 32
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(name.to_string())
    } else {
        Err(format!(
            "pool name `{name}`: 1 to 32 letters, digits, `-` or `_`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(name: &str, addr: &str) -> Pool {
        Pool {
            name: name.into(),
            addr: addr.parse().unwrap(),
        }
    }

    #[test]
    fn homes_come_from_flags_then_the_directory_then_the_first_pool() {
        let dir = Directory::parse(
            r#"
            [[users]]
            uri = "sip:dana@contoso.com"
            password = "x"
            [[users]]
            uri = "sip:sarad@contoso.com"
            password = "x"
            pool = "B"
            [[users]]
            uri = "sip:chrisb@contoso.com"
            password = "x"
            pool = "B"
            "#,
        )
        .unwrap();
        let pools = vec![pool("A", "127.0.0.1:1"), pool("B", "127.0.0.1:2")];
        let p = Pools::new(pools, &dir, &[("chrisb@contoso.com".into(), "A".into())]).unwrap();
        assert_eq!(p.home_of("dana@contoso.com").name, "A");
        assert_eq!(p.home_of("sarad@contoso.com").name, "B");
        assert_eq!(p.home_of("chrisb@contoso.com").name, "A");
        assert_eq!(p.home_of("nobody@contoso.com").name, "A");
    }

    #[test]
    fn unknown_pools_and_users_are_refused() {
        let dir = Directory::builtin();
        let one = || vec![pool("A", "127.0.0.1:1")];
        let e = Pools::new(one(), &dir, &[("sarad@contoso.com".into(), "B".into())]);
        assert!(e.unwrap_err().contains("no pool `B`"));
        let e = Pools::new(one(), &dir, &[("ghost@contoso.com".into(), "A".into())]);
        assert!(e.unwrap_err().contains("no such user"));
        let mut dir_with_home = String::from("[[users]]\nuri = \"a@b.c\"\npassword = \"x\"\n");
        dir_with_home.push_str("pool = \"Z\"\n");
        let dir = Directory::parse(&dir_with_home).unwrap();
        assert!(Pools::new(one(), &dir, &[]).unwrap_err().contains("`Z`"));
        assert!(Pools::new(Vec::new(), &dir, &[]).is_err());
    }

    #[test]
    fn links_to_a_loopback_pool_keep_the_clients_host_name() {
        let b = pool("B", "127.0.0.1:9002");
        assert_eq!(
            base_for(&b, Some("localhost:9001")),
            "http://localhost:9002"
        );
        assert_eq!(
            base_for(&b, Some("127.0.0.1:9001")),
            "http://127.0.0.1:9002"
        );
        assert_eq!(base_for(&b, Some("[::1]:9001")), "http://[::1]:9002");
        assert_eq!(base_for(&b, Some("bad host/")), "http://127.0.0.1:9002");
        assert_eq!(base_for(&b, None), "http://127.0.0.1:9002");
        let any = pool("B", "0.0.0.0:9002");
        assert_eq!(base_for(&any, None), "http://127.0.0.1:9002");
        let remote = pool("B", "192.0.2.7:443");
        assert_eq!(
            base_for(&remote, Some("localhost:9001")),
            "http://192.0.2.7:443"
        );
    }

    #[test]
    fn parses_the_flags() {
        assert_eq!(
            parse_pool_flag("A=127.0.0.1:0").unwrap(),
            ("A".into(), "127.0.0.1:0".parse().unwrap())
        );
        assert_eq!(
            parse_home_flag("sip:SaraD@contoso.com=pool-b").unwrap(),
            ("sarad@contoso.com".into(), "pool-b".into())
        );
        for bad in [
            "A",
            "=127.0.0.1:1",
            "A=nope",
            "a b=127.0.0.1:1",
            "A=127.0.0.1",
        ] {
            assert!(parse_pool_flag(bad).is_err(), "{bad}");
        }
        for bad in ["sarad@contoso.com", "nobody=B", "a@b.c=", "a@b.c=B/C"] {
            assert!(parse_home_flag(bad).is_err(), "{bad}");
        }
    }
}

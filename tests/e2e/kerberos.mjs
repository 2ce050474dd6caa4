// Single sign-on for the e2e suite (shared/KERBEROS.md's recipe): a real MIT Kerberos realm
// CONTOSO.TEST in a temp dir, its KDC a direct child of this process on a free loopback port,
// a ticket cache per user, and Chromium profiles that answer HTTP Negotiate with those tickets.
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync, openSync, closeSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { chromium } from "../../tools/node_modules/playwright-core/index.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "./harness.mjs";

export const REALM = "CONTOSO.TEST";
const PASSWORD = "Kerberos-test-1";
const SETUP_HINT = "the MIT Kerberos tools are missing: run scripts/setup (Debian packages krb5-kdc, krb5-admin-server, krb5-user)";

/** A Kerberos tool from PATH or /usr/sbin (where Debian puts the KDC's); throws naming scripts/setup. */
function tool(name) {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/bin"];
  const found = dirs.filter(Boolean).map((d) => join(d, name)).find((p) => existsSync(p));
  if (!found) throw new Error(`${name} not found: ${SETUP_HINT}`);
  return found;
}

/** Runs a realm tool to completion with `input` on stdin; rejects with its output on failure. */
function run(program, args, env, input = "") {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { out += d; });
    child.on("error", (e) => reject(new Error(`${program}: ${e.message} (${SETUP_HINT})`)));
    child.on("close", (code) => code === 0 ? resolve(out) : reject(new Error(`${program} ${args.join(" ")}: exit ${code}: ${out}`)));
    child.stdin.end(input);
  });
}

function bindable(kind, port) {
  return new Promise((resolve) => {
    const s = kind === "udp" ? createSocket("udp4") : createServer();
    s.once("error", () => resolve(false));
    const done = () => s.close(() => resolve(true));
    if (kind === "udp") s.bind(port, "127.0.0.1", done);
    else s.listen(port, "127.0.0.1", done);
  });
}

/** A loopback port free for TCP and UDP now: a port another KDC answers on would hand out
 *  tickets this realm's keytab cannot decrypt. */
async function freeKdcPort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const s = createServer();
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
    });
    if (await bindable("udp", port) && await bindable("tcp", port)) return port;
  }
}

function accepts(port) {
  return new Promise((resolve) => {
    const c = connect({ host: "127.0.0.1", port });
    c.once("connect", () => { c.destroy(); resolve(true); });
    c.once("error", () => resolve(false));
  });
}

/** Creates the realm with a principal and a ticket per user, and starts its KDC.
 *  Returns { dir, port, env(user), serverEnv, stop() }: `env(user)` is the environment of a
 *  browser holding that user's ticket (`user` null: an empty cache, no ticket). */
export async function startRealm({ users = ["dana", "sarad"] } = {}) {
  const bins = Object.fromEntries(["krb5kdc", "kdb5_util", "kadmin.local", "kinit"].map((n) => [n, tool(n)]));
  const dir = await mkdtemp(join(tmpdir(), "ucwa-krb5-"));
  const port = await freeKdcPort();
  await writeFile(join(dir, "krb5.conf"), `[libdefaults]
 default_realm = ${REALM}
 dns_lookup_kdc = false
 dns_lookup_realm = false
 rdns = false
 dns_canonicalize_hostname = false
 udp_preference_limit = 1
 default_ccache_name = FILE:${dir}/cc
 default_keytab_name = FILE:${dir}/http.keytab
[realms]
 ${REALM} = {
  kdc = 127.0.0.1:${port}
 }
[domain_realm]
 localhost = ${REALM}
`);
  await writeFile(join(dir, "kdc.conf"), `[kdcdefaults]
 kdc_listen = 127.0.0.1:${port}
 kdc_tcp_listen = 127.0.0.1:${port}
[realms]
 ${REALM} = {
  database_name = ${dir}/principal
  key_stash_file = ${dir}/stash
  acl_file = ${dir}/kadm5.acl
  kdc_listen = 127.0.0.1:${port}
  kdc_tcp_listen = 127.0.0.1:${port}
 }
[logging]
 kdc = FILE:${dir}/kdc.log
`);
  const realmEnv = { ...process.env, KRB5_CONFIG: join(dir, "krb5.conf"), KRB5_KDC_PROFILE: join(dir, "kdc.conf") };
  let kdc;
  const stop = async () => {
    if (kdc && kdc.exitCode === null && kdc.signalCode === null) {
      const exited = new Promise((r) => kdc.once("exit", r));
      kdc.kill();
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await run(bins.kdb5_util, ["create", "-s", "-r", REALM, "-P", PASSWORD], realmEnv);
    const service = `HTTP/localhost@${REALM}`;
    for (const q of [...users.map((u) => `addprinc -pw ${PASSWORD} ${u}@${REALM}`),
      `addprinc -randkey ${service}`, `ktadd -k ${join(dir, "http.keytab")} ${service}`]) {
      await run(bins["kadmin.local"], ["-q", q], realmEnv);
    }
    // A direct child with stdio of its own (a piping caller would hang on it).
    const log = openSync(join(dir, "kdc.stdout"), "a");
    kdc = spawn(bins.krb5kdc, ["-n"], { env: realmEnv, stdio: ["ignore", log, log] });
    closeSync(log);
    const end = Date.now() + 15000;
    while (!(await accepts(port))) {
      if (kdc.exitCode !== null) throw new Error(`krb5kdc exited with ${kdc.exitCode}: see ${dir}/kdc.log`);
      if (Date.now() > end) throw new Error(`krb5kdc does not listen on 127.0.0.1:${port}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const ccache = (user) => `FILE:${join(dir, `cc-${user ?? "nobody"}`)}`;
    for (const user of users) {
      await run(bins.kinit, [user], { ...realmEnv, KRB5CCNAME: ccache(user) }, `${PASSWORD}\n`);
    }
    return {
      dir,
      port,
      env: (user) => ({ KRB5_CONFIG: join(dir, "krb5.conf"), KRB5CCNAME: ccache(user) }),
      serverEnv: {
        KRB5_KTNAME: `FILE:${join(dir, "http.keytab")}`,
        KRB5RCACHENAME: `file2:${join(dir, "rcache2")}`,
        KRB5_CONFIG: join(dir, "krb5.conf"),
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Headless Chromium in a fresh persistent profile whose Negotiate answers use `user`'s ticket
 *  (`user` null: no ticket). Hosts allowed to ask for it: `localhost`. Returns the context;
 *  closing it removes the profile. */
export async function launchWithTicket(user, realm) {
  const profile = await mkdtemp(join(tmpdir(), "ucwa-sso-profile-"));
  // A fresh profile ignores the first Negotiate challenge it sees (then turns GSSAPI on):
  // start with the state of one that has seen one.
  await writeFile(join(profile, "Local State"), JSON.stringify({ net: { received_http_auth_negotiate_headers: true } }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, "--auth-server-allowlist=localhost"],
    env: { ...process.env, ...realm.env(user) },
  });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    await rm(profile, { recursive: true, force: true });
  };
  return context;
}

/** Headless Firefox ESR through geckodriver (plain WebDriver over HTTP), trusting `localhost`
 *  for Negotiate (`network.negotiate-auth.trusted-uris`) and holding `user`'s ticket.
 *  Returns { goto(url), executeAsync(script, ...args), close() }. */
export async function launchFirefoxWithTicket(user, realm) {
  const port = await freeKdcPort();
  const env = { ...process.env, ...realm.env(user) };
  const driver = spawn(tool("geckodriver"), ["--host", "127.0.0.1", "--port", String(port)], { env, stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  const end = Date.now() + 15000;
  while (!(await accepts(port))) {
    if (driver.exitCode !== null) throw new Error(`geckodriver exited with ${driver.exitCode}`);
    if (Date.now() > end) throw new Error("geckodriver does not listen");
    await new Promise((r) => setTimeout(r, 20));
  }
  const call = async (method, path, body) => {
    const r = await fetch(base + path, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
    const v = await r.json();
    if (!r.ok) throw new Error(`WebDriver ${method} ${path}: ${r.status} ${JSON.stringify(v)}`);
    return v.value;
  };
  const stop = async () => {
    if (driver.exitCode === null && driver.signalCode === null) {
      const exited = new Promise((r) => driver.once("exit", r));
      driver.kill();
      await exited;
    }
  };
  let session;
  try {
    session = (await call("POST", "/session", { capabilities: { alwaysMatch: {
      browserName: "firefox",
      "moz:firefoxOptions": {
        binary: "/usr/bin/firefox-esr",
        args: ["-headless"],
        prefs: { "network.negotiate-auth.trusted-uris": "localhost" },
        env: realm.env(user),
      },
    } } })).sessionId;
  } catch (e) {
    await stop();
    throw e;
  }
  const at = `/session/${session}`;
  return {
    goto: (url) => call("POST", `${at}/url`, { url }),
    executeAsync: (script, ...args) => call("POST", `${at}/execute/async`, { script, args }),
    async close() {
      await call("DELETE", at).catch(() => {});
      await stop();
    },
  };
}

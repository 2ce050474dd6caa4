#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ (checked in; rerun after changing a source).

Sources: the differential-test fixtures (tests/differential/fixtures/: the UCWA seed pages'
bodies, responses and URLs), the seed pages themselves (/work/shared/seeds, when present), the
CWA 2007 documentation examples of src/protocol/cwa2007/tests/examples.rs, and the JSON examples
of Microsoft's UCWA reference pages (the OfficeDev/skype-docs repository, a bare git directory
given as the first argument; skipped when absent). Files are named by content hash; each target
keeps at most LIMIT of the smallest distinct inputs. `cwa_requests` and `http` take structured
(arbitrary) input that no document spells: their directories start empty."""
import hashlib, json, pathlib, re, subprocess, sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "fuzz" / "corpus"
LIMIT = 40
DOCS = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else None
seeds = {}

def add(target, text):
    data = text.encode() if isinstance(text, str) else text
    if data and len(data) <= 8192:
        seeds.setdefault(target, set()).add(data)

def json_texts(text):
    """Balanced {...} blocks of `text` that are JSON (or the whole text)."""
    found, depth, start, quoted, escaped = [], 0, None, False, False
    for i, c in enumerate(text):
        if quoted:
            escaped, quoted = (not escaped and c == "\\"), quoted if (escaped or c != '"') else False
            continue
        if c == '"' and depth:
            quoted = True
        elif c == "{":
            start = i if depth == 0 else start
            depth += 1
        elif c == "}" and depth:
            depth -= 1
            if depth == 0:
                found.append(text[start:i + 1])
    return found

def add_json(text):
    for block in json_texts(text):
        try:
            value = json.loads(block)
        except ValueError:
            add("json", block)  # the invalid excerpts are seeds for the reader too
            continue
        add("json", block)
        add("resources", block)
        if isinstance(value, dict) and ("sender" in value or "_links" in value and "events" in block):
            add("events", block)
        for date in re.findall(r'\\?/Date\(\d+\)\\?/', block):
            add("date", date)
        for href in re.findall(r'"href"\s*:\s*"([^"]*)"', block):
            add("url", f"https://lyncweb.contoso.com/ucwa/oauth/v1/applications/101\n{href}\nack\n2")

fixtures = ROOT / "tests" / "differential" / "fixtures"
for path in sorted(fixtures.glob("json-*")):
    add_json(path.read_text())
    add("json", path.read_text())
batch = (fixtures / "batch-seed-responses.txt").read_text()
boundary = batch.split("\n", 1)[0].lstrip("-")
add("batch", f"multipart/batching; boundary={boundary}\n{batch}")
add("batch", f"multipart/batching;boundary=\"{boundary}\"\n{batch.replace(chr(10), chr(13) + chr(10))}")
for url in (fixtures / "url-seed-absolute.txt").read_text().split():
    add("url", f"{url}\n../people/sarad@contoso.com?x=1#f\nduration\n20 30")

seed_dir = pathlib.Path("/work/shared/seeds")
for path in sorted(seed_dir.glob("*.txt")) if seed_dir.is_dir() else []:
    text = path.read_text()
    add_json(text)
    for header in re.findall(r"WWW-Authenticate: *(.*)", text):
        add("auth", header.strip())
    for xml in re.findall(r"<cwaEvents.*?</cwaEvents>", text, re.S):
        add("cwa_events", xml)

examples = (ROOT / "src/protocol/cwa2007/tests/examples.rs").read_text()
for xml in re.findall(r'r#"(.*?)"#', examples, re.S):
    root = re.search(r"<\s*([A-Za-z:]+)", xml)
    name = root.group(1).split(":")[-1].lower() if root else ""
    if name == "cwaevents":
        add("cwa_events", xml)
    elif name in ("cwaresponses", "error", "exception"):
        add("cwa_replies", xml)

if DOCS and DOCS.exists():
    git = ["git", "-C", str(DOCS)]
    names = subprocess.run(git + ["ls-tree", "--name-only", "HEAD:Skype/UCWA"], capture_output=True, text=True).stdout.split()
    for name in names:
        if name.endswith(".md"):
            text = subprocess.run(git + ["show", f"HEAD:Skype/UCWA/{name}"], capture_output=True, text=True).stdout
            add_json(text)
            for header in re.findall(r"WWW-Authenticate: *(.*)", text):
                add("auth", header.strip())

add("auth", 'Bearer trusted_issuers="", client_id="00000004-0000-0ff1-ce00-000000000000", MsRtcOAuth href="https://lyncweb.contoso.com/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"')
add("xframe", '{"messageId":"1","status":200,"responseText":"{\\"_links\\":{}}","headers":"Content-Type: application/json\\r\\nETag: \\"1\\"\\r\\n"}\n1\n200\n{}\nContent-Type: application/json\nget\nhttps://lyncweb.contoso.com/ucwa/oauth/v1/applications\n')
add("xframe", '{"messageId":7,"status":0,"responseText":null,"headers":null}')
add("date", "/Date(1358827096000+0100)/\x00\x00\x00")
for target in ("json", "events", "resources", "batch", "auth", "url", "date", "xframe",
               "cwa_events", "cwa_replies", "cwa_requests", "http"):
    directory = OUT / target
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        old.unlink()
    for data in sorted(seeds.get(target, ()), key=lambda d: (len(d), d))[:LIMIT]:
        (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)
    print(f"{target}: {min(LIMIT, len(seeds.get(target, ())))} seeds")

"""requests + urllib3 + idna + charset_normalizer + certifi against a local server."""

import http.server
import json
import threading

import certifi
import charset_normalizer
import idna
import requests
import urllib3


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = "Grüße aus dem Server, ça va très bien".encode("latin-1")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        data = self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"echo": json.loads(data), "path": self.path}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # no timestamps in the output


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_port}"

with requests.Session() as session:
    got = session.get(base + "/text", params={"q": "a b"})
    print(got.status_code, got.headers["Content-Type"], got.encoding, got.apparent_encoding)
    print(got.content.decode(got.apparent_encoding))
    posted = session.post(base + "/items?x=1", json={"n": [1, 2]})
    print(posted.status_code, posted.json())
server.shutdown()

prepared = requests.Request(
    "PUT", "https://bücher.example/p", data={"k": "v"}, auth=("u", "p")
).prepare()
print(prepared.method, prepared.url, sorted(prepared.headers.items()), prepared.body)
print(idna.encode("münchen.de"), idna.decode("xn--mnchen-3ya.de"))
print(urllib3.util.parse_url("https://user@host:8080/a?b#c"))
print(charset_normalizer.from_bytes("Привет, мир! Как дела?".encode("cp1251")).best().encoding)
print("certifi:", certifi.contents().count("BEGIN CERTIFICATE") > 100)
with open(certifi.where(), encoding="ascii") as bundle:
    print("where:", bundle.read(10))
try:
    requests.get("http://127.0.0.1:1/", timeout=0.5)
except requests.ConnectionError as error:
    print("refused:", type(error).__name__)

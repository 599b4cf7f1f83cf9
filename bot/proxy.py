"""The local reverse proxy of the production profile: Debian's nginx, configured in var/nginx/.

One public port balances the Rasa replicas (REST, SMS webhooks, web chat, HTTP API), another the
action servers (Rasa's action_endpoint takes one URL). No sticky sessions: the Redis lock store
serialises a conversation across replicas and the web chat keeps its state in a signed cookie.
"""
from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

# A replica that refuses connections or times out is skipped for this request and for 5 s;
# a POST already sent to a replica is not sent again (nginx's default for non-idempotent methods).
_UPSTREAM = """    upstream {name} {{
{servers}
        least_conn;  # a replica busy with a long turn gets the next message last
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://{name};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 120s;
            proxy_next_upstream error timeout http_502;
        }}
    }}
"""


def nginx_binary() -> str:
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(path).exists():
        raise RuntimeError("nginx is missing: apt-get install nginx-light (make run-prod does it)")
    return path


def write_config(directory: Path, balanced: dict[int, tuple[int, ...]]) -> Path:
    """nginx.conf in `directory`: each public port → its replicas' ports. Returns the file."""
    temp = directory / "tmp"
    temp.mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:  # nginx's workers drop to nobody: let them write their buffers
        nobody = pwd.getpwnam("nobody")
        os.chown(temp, nobody.pw_uid, nobody.pw_gid)
        user = "user nobody nogroup;\n"
    upstreams = "".join(
        _UPSTREAM.format(name=f"replicas_{public}", port=public,
                         servers="\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports))
        for public, ports in balanced.items())
    config = f"""# Written by bot/proxy.py at each start of the production profile; edits are lost.
{user}worker_processes 1;
daemon off;
pid {directory / 'nginx.pid'};
error_log {directory / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;  # URLs and addresses are not logged (privacy)
    client_body_temp_path {temp / 'body'};
    proxy_temp_path {temp / 'proxy'};
    fastcgi_temp_path {temp / 'fastcgi'};
    uwsgi_temp_path {temp / 'uwsgi'};
    scgi_temp_path {temp / 'scgi'};
    client_max_body_size 1m;
    # Bodies and answers stay in memory: Rasa sends the whole tracker to the action server, and
    # nginx's workers (nobody) may not be able to write temporary files where var/ is.
    client_body_buffer_size 1m;
    proxy_max_temp_file_size 0;
{upstreams}}}
"""
    path = directory / "nginx.conf"
    path.write_text(config)
    return path


def argv(config: Path) -> list[str]:
    return [nginx_binary(), "-p", str(config.parent), "-c", str(config)]

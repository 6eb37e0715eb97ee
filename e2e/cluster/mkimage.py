#!/usr/bin/env python3
"""Writes an image as a docker-archive tarball that `docker load`, `ctr images import` and
minikube's image cache accept, with no image builder or daemon.

Used for the cluster's own images: control-plane components, pause, CoreDNS, etcd and the
other static binaries in one layer each; kube-proxy and the node image on a Debian root
filesystem tarball (--layer) made with debootstrap.

  mkimage.py OUT.tar NAME:TAG [--layer ROOTFS.tar ...] [--file SRC:DEST[:MODE] ...]
             [--symlink LINK:TARGET ...] [--dir DEST ...] [--entrypoint JSON] [--cmd JSON]
             [--env K=V ...] [--user U] [--stop-signal SIG]
"""
import argparse
import hashlib
import io
import json
import os
import tarfile


def add_parents(tar, path, seen):
    parts = path.strip("/").split("/")[:-1]
    for i in range(1, len(parts) + 1):
        d = "/".join(parts[:i])
        if d not in seen:
            seen.add(d)
            info = tarfile.TarInfo(d)
            info.type = tarfile.DIRTYPE
            info.mode = 0o1777 if d == "tmp" else 0o755
            tar.addfile(info)


def build_layer(args):
    buf = io.BytesIO()
    seen = set()
    # A fixed mtime keeps the layer digest stable between runs with the same inputs.
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for d in args.dir:
            add_parents(tar, d.rstrip("/") + "/x", seen)
        for spec in args.file:
            src, dest, *mode = spec.split(":")
            add_parents(tar, dest, seen)
            info = tarfile.TarInfo(dest.strip("/"))
            info.size = os.path.getsize(src)
            info.mode = int(mode[0], 8) if mode else 0o755
            info.mtime = 0
            with open(src, "rb") as f:
                tar.addfile(info, f)
        for spec in args.symlink:
            link, target = spec.split(":")
            add_parents(tar, link, seen)
            info = tarfile.TarInfo(link.strip("/"))
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tar.addfile(info)
    return buf.getvalue()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("name")
    p.add_argument("--file", action="append", default=[])
    p.add_argument("--symlink", action="append", default=[])
    p.add_argument("--dir", action="append", default=[])
    p.add_argument("--entrypoint")
    p.add_argument("--cmd")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--user")
    p.add_argument("--layer", action="append", default=[])
    p.add_argument("--stop-signal")
    args = p.parse_args()

    # Existing layer tarballs first (a root filesystem), then the files given here, if any.
    layers = []  # (digest, path or None, bytes or None)
    for path in args.layer:
        layers.append(("sha256:" + file_sha256(path), path, None))
    if args.file or args.symlink or args.dir:
        layer = build_layer(args)
        layers.append(("sha256:" + hashlib.sha256(layer).hexdigest(), None, layer))
    cfg = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + args.env}
    if args.entrypoint:
        cfg["Entrypoint"] = json.loads(args.entrypoint)
    if args.cmd:
        cfg["Cmd"] = json.loads(args.cmd)
    if args.user:
        cfg["User"] = args.user
    if args.stop_signal:
        cfg["StopSignal"] = args.stop_signal
    config = json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": cfg,
        "rootfs": {"type": "layers", "diff_ids": [d for d, _, _ in layers]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "e2e/cluster/mkimage.py"}
                    for _ in layers],
    }, sort_keys=True).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    layer_names = [d.split(":")[1] + "/layer.tar" for d, _, _ in layers]
    manifest = json.dumps([{"Config": config_name, "RepoTags": [args.name], "Layers": layer_names}]).encode()

    # Written beside OUT and renamed, so an interrupted run leaves no half archive behind.
    tmp = args.out + ".tmp"
    with tarfile.open(tmp, "w") as out:
        for name, (_, path, data) in zip(layer_names, layers):
            if path:
                out.add(path, arcname=name)
            else:
                add_bytes(out, name, data)
        add_bytes(out, config_name, config)
        add_bytes(out, "manifest.json", manifest)
    os.replace(tmp, args.out)


def add_bytes(out, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    out.addfile(info, io.BytesIO(data))


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


if __name__ == "__main__":
    main()

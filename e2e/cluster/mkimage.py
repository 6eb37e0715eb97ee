#!/usr/bin/env python3
"""Writes a one-layer image as a docker-archive tarball that `ctr images import` accepts.

Used for the cluster's own small images (pause, CoreDNS, metrics-server, the smoke toolbox),
whose content is a few static binaries, so cluster-up needs no image builder or daemon.

  mkimage.py OUT.tar NAME:TAG --file SRC:DEST[:MODE] ... [--symlink LINK:TARGET ...]
             [--dir DEST ...] [--entrypoint JSON] [--cmd JSON] [--env K=V ...] [--user U]
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
    args = p.parse_args()

    layer = build_layer(args)
    layer_digest = "sha256:" + hashlib.sha256(layer).hexdigest()
    cfg = {"Env": ["PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"] + args.env}
    if args.entrypoint:
        cfg["Entrypoint"] = json.loads(args.entrypoint)
    if args.cmd:
        cfg["Cmd"] = json.loads(args.cmd)
    if args.user:
        cfg["User"] = args.user
    config = json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": cfg,
        "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "e2e/cluster/mkimage.py"}],
    }, sort_keys=True).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    layer_name = layer_digest.split(":")[1] + "/layer.tar"
    manifest = json.dumps([{"Config": config_name, "RepoTags": [args.name], "Layers": [layer_name]}]).encode()

    with tarfile.open(args.out, "w") as out:
        for name, data in ((layer_name, layer), (config_name, config), ("manifest.json", manifest)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            out.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main()

"""Uploading article files from the page: ``POST /api/uploads`` and its progress, ``GET /api/uploads/{id}``.

The body is JSON: each file's name and base64 content (.txt, .html, .jsonl, .csv, and the other
types :data:`stancegraph.sources.READERS` reads). The request only decodes and checks it, keeps
the files in a temporary folder and answers 202 with the upload's id. A background thread reads
the files with the CLI's readers and hands each article to the analysis worker
(:mod:`stancegraph.web.worker`), a few at a time, so neither reading nor parsing happens in a
request and the server's reads never wait for them. ``GET /api/uploads/{id}`` reports
``done``/``total`` while it runs and, for each input (a file, or a line of a JSONL or CSV file),
its article or its error code.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from stancegraph.errors import ApiError, InputError, StanceGraphError
from stancegraph.web.models import ErrorBody
from stancegraph.web.state import require

__all__ = ["IN_FLIGHT", "MAX_FILES", "MAX_RUNNING", "Upload", "UploadIn", "Uploads", "router"]

router = APIRouter(prefix="/api", tags=["api"])

MAX_FILES = 200
"""Most files in one upload."""
MAX_RUNNING = 4
"""Most uploads being read and analysed at once."""
IN_FLIGHT = 4
"""Articles of one upload waiting in the analysis queue at a time (the queue is shared with POST /api/articles)."""
KEEP = 1000
"""Finished uploads remembered for GET /api/uploads/{id}."""


class FileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=255, description="The file's name; its extension picks the reader.")
    content: str = Field(..., description="The file's bytes, base64-encoded.")


class UploadIn(BaseModel):
    """Files to read, analyse and store."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"files": [
        {"name": "note.txt", "content": base64.b64encode(b"Talks\n\nAnna Berg said the tax is fair.").decode()}]}]})

    files: list[FileIn] = Field(..., min_length=1, description=f"At most {MAX_FILES} files.")


class InputOut(BaseModel):
    input: str
    status: str
    article: str | None = None
    link: str | None = None
    error: dict[str, str] | None = None


class UploadOut(BaseModel):
    """An upload's progress: ``done`` of ``total`` inputs (``total`` is null while the files are read)."""

    id: str
    url: str
    status: str
    files: int
    total: int | None
    done: int
    stored: int
    failed: int
    inputs: list[InputOut]


@dataclass
class Entry:
    """One input of an upload: a file, or one record of a JSONL or CSV file."""

    input: str
    status: str = "queued"  # queued, running, stored, failed
    article: str | None = None
    error: StanceGraphError | None = None

    def to_dict(self) -> dict[str, Any]:
        from stancegraph.web.queries import link

        return {"input": self.input, "status": self.status, "article": self.article,
                "link": link(self.article) if self.article else None,
                "error": {"code": self.error.code, "message": self.error.message} if self.error else None}


@dataclass
class Upload:
    """An upload and where it stands; its files live in ``folder`` until it is read."""

    id: str
    names: list[str]
    status: str = "reading"  # reading, running, done
    total: int | None = None
    entries: list[Entry] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def to_dict(self) -> dict[str, Any]:
        with self.lock:
            entries = [entry.to_dict() for entry in self.entries]
            return {"id": self.id, "url": f"/api/uploads/{self.id}", "status": self.status, "files": len(self.names),
                    "total": self.total, "done": sum(e["status"] in ("stored", "failed") for e in entries),
                    "stored": sum(e["status"] == "stored" for e in entries),
                    "failed": sum(e["status"] == "failed" for e in entries), "inputs": entries}


class Uploads:
    """The uploads of one server: each read and analysed by its own thread, through the shared worker."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self._uploads: OrderedDict[str, Upload] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, upload_id: str) -> Upload | None:
        with self._lock:
            return self._uploads.get(upload_id)

    def start(self, files: list[tuple[str, bytes]]) -> Upload:
        """Keep the files and start reading them in the background (E428 when too many uploads run)."""
        with self._lock:
            running = sum(upload.status != "done" for upload in self._uploads.values())
            if running >= MAX_RUNNING:
                raise ApiError("E428", count=running)
            upload = Upload(secrets.token_urlsafe(12), [name for name, _ in files])
            self._uploads[upload.id] = upload
            while len(self._uploads) > KEEP and next(iter(self._uploads.values())).status == "done":
                self._uploads.popitem(last=False)
        threading.Thread(target=self._run, args=(upload, files), name=f"stancegraph-upload-{upload.id}",
                         daemon=True).start()
        return upload

    def _read(self, upload: Upload, files: list[tuple[str, bytes]]) -> list[tuple[Entry, Any]]:
        """Each input of the files with its article, or the entry already failed with the reader's error."""
        from stancegraph.records import Article
        from stancegraph.sources import ReadOptions, read_file

        options = ReadOptions(max_chars=self.state.settings.max_chars)
        found: list[tuple[Entry, Any]] = []
        with tempfile.TemporaryDirectory(prefix="stancegraph-upload-") as folder:
            for number, (name, data) in enumerate(files):
                path = Path(folder) / f"{number}{Path(name).suffix.lower()}"  # the user's name never makes a path
                path.write_bytes(data)
                for input, item in read_file(path, Path(name).stem, options):
                    entry = Entry(input.replace(str(path), name))
                    if isinstance(item, Article):
                        found.append((entry, item))
                    else:
                        entry.status, entry.error = "failed", item
                        found.append((entry, None))
        return found

    def _run(self, upload: Upload, files: list[tuple[str, bytes]]) -> None:
        try:
            found = self._read(upload, files)
        except Exception as error:  # a reader's bug fails this upload, not the server
            found = [(Entry(name, "failed", error=InputError("E114", input=name, detail=str(error))), None)
                     for name, _ in files]
        with upload.lock:
            upload.entries = [entry for entry, _ in found]
            upload.total = len(found)
            upload.status = "running"
        waiting = [(entry, article) for entry, article in found if article is not None]
        running: list[tuple[Entry, Any]] = []
        while waiting or running:
            while waiting and len(running) < IN_FLIGHT:
                entry, article = waiting[0]
                try:
                    job = self.state.jobs.submit({"text": article.text, "id": article.id, "title": article.title,
                                                  "date": article.date, "source": article.source, "url": article.url})
                except ApiError as error:
                    if error.code == "E123":  # the queue is full: wait for a place
                        break
                    for entry, _ in waiting:  # the server is stopping
                        self._finish(upload, entry, None, ApiError("E230") if error.code == "E124" else error)
                    waiting = []
                    break
                waiting.pop(0)
                with upload.lock:
                    entry.status = "running"
                running.append((entry, job))
            for entry, job in [pair for pair in running if pair[1].finished.is_set()]:
                running.remove((entry, job))
                self._finish(upload, entry, job.article_id, job.error)
            if running:
                running[0][1].finished.wait(0.2)
            elif waiting:
                time.sleep(0.2)
        with upload.lock:
            upload.status = "done"

    @staticmethod
    def _finish(upload: Upload, entry: Entry, article: str | None, error: StanceGraphError | None) -> None:
        with upload.lock:
            if error is None:
                entry.status, entry.article = "stored", article
            else:
                entry.status, entry.error = "failed", error


_registry_lock = threading.Lock()


def _uploads(request: Request) -> Uploads:
    """The app's uploads, made on first use."""
    with _registry_lock:
        if not hasattr(request.app.state, "uploads"):
            request.app.state.uploads = Uploads(request.app.state.web)
        return request.app.state.uploads


def _decode(file: FileIn) -> tuple[str, bytes]:
    from stancegraph.sources.ids import id_problem

    name = file.name
    if "/" in name or "\\" in name or "\x00" in name or name in (".", ".."):
        raise ApiError("E427", name=name[:200], reason="a file name, without folders")
    if (reason := id_problem(Path(name).stem or name)) is not None:
        raise ApiError("E427", name=name[:200], reason=reason)
    try:
        return name, base64.b64decode(file.content, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ApiError("E425", name=name[:200], detail=str(error)) from None


@router.post("/uploads", response_model=None, status_code=202,
             responses={202: {"model": UploadOut, "description": "Accepted: poll `Location` (`/api/uploads/{id}`)."},
                        401: {"model": ErrorBody, "description": "Missing or wrong token (E401)."},
                        413: {"model": ErrorBody, "description": "The body is over the limit (E405) or has too many "
                              "files (E426)."},
                        422: {"model": ErrorBody, "description": "Invalid body (E406), a file name that cannot be an "
                              "article id (E427) or content that is not base64 (E425)."},
                        429: {"model": ErrorBody, "description": "Too many uploads running (E428): retry later."}},
             summary="Upload article files (.txt, .html, .jsonl, .csv...): read and analysed in the background")
def post_upload(request: Request, upload: UploadIn) -> JSONResponse:
    if len(upload.files) > MAX_FILES:
        raise ApiError("E426", count=len(upload.files), limit=MAX_FILES)
    files = [_decode(file) for file in upload.files]
    started = _uploads(request).start(files)
    return JSONResponse(started.to_dict(), status_code=202,
                        headers={"Location": f"/api/uploads/{started.id}", "Retry-After": "1"})


@router.get("/uploads/{upload_id}", response_model=None,
            responses={200: {"model": UploadOut}, 404: {"model": ErrorBody, "description": "No such upload (E404)."},
                       401: {"model": ErrorBody, "description": "Missing or wrong token (E401)."}},
            summary="An upload's progress: done/total, and each input's article or error code")
def get_upload(request: Request, upload_id: str) -> JSONResponse:
    upload = require(_uploads(request).get(upload_id), "upload", upload_id.replace("\x00", ""))
    return JSONResponse(upload.to_dict())

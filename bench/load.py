"""A small closed-loop HTTP load generator: threads, each with its own persistent
http.client connection, sending the next request as soon as the last one is answered.

Nothing outside the standard library, and it only talks to the server on 127.0.0.1
that the bench started itself; every run is bounded in time.
"""

import http.client
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

ERROR_SAMPLES = 5


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None


@dataclass
class LoadResult:
    concurrency: int
    seconds: float
    # Seconds, of the requests answered within the measured window.
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    response_bytes: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, percent: float) -> float | None:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank] * 1000

    def as_dict(self) -> dict:
        return {
            "concurrency": self.concurrency,
            "seconds": round(self.seconds, 3),
            "requests": self.requests,
            "requests_per_second": round(self.requests_per_second, 1),
            "p50_ms": _round(self.percentile_ms(50)),
            "p95_ms": _round(self.percentile_ms(95)),
            "p99_ms": _round(self.percentile_ms(99)),
            "errors": self.errors,
            "error_samples": self.error_samples,
            "mean_response_bytes": round(self.response_bytes / self.requests)
            if self.requests
            else 0,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def load_drive(
    *,
    port: int,
    make_request: Callable[[], Request],
    expected_status: int,
    concurrency: int,
    seconds: float,
    warmup: float,
    host: str = "127.0.0.1",
) -> LoadResult:
    """Drive `make_request()` at `concurrency` for `warmup` + `seconds`. Throughput and
    latencies count the requests answered within the last `seconds`; errors (an
    unexpected status or a failed connection) count over the whole run."""
    result = LoadResult(concurrency=concurrency, seconds=seconds)
    lock = threading.Lock()
    ready = threading.Barrier(concurrency + 1)
    window: dict[str, float] = {}

    def worker():
        connection = http.client.HTTPConnection(host, port, timeout=30)
        latencies, errors, samples, size = [], 0, [], 0
        ready.wait()
        measure_from, stop_at = window["from"], window["stop"]
        try:
            while (started := time.perf_counter()) < stop_at:
                request = make_request()
                problem = None
                try:
                    connection.request(
                        request.method, request.path, body=request.body, headers=request.headers
                    )
                    response = connection.getresponse()
                    body = response.read()
                    if response.status != expected_status:
                        problem = f"{request.method} {request.path}: HTTP {response.status}"
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    problem = f"{request.method} {request.path}: {type(error).__name__} {error}"
                    body = b""
                finished = time.perf_counter()
                if problem:
                    errors += 1
                    if len(samples) < ERROR_SAMPLES:
                        samples.append(problem)
                elif measure_from <= finished <= stop_at:
                    latencies.append(finished - started)
                    size += len(body)
        finally:
            connection.close()
            with lock:
                result.latencies.extend(latencies)
                result.errors += errors
                result.response_bytes += size
                room = ERROR_SAMPLES - len(result.error_samples)
                result.error_samples.extend(samples[:room])

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    now = time.perf_counter()
    window["from"] = now + warmup
    window["stop"] = now + warmup + seconds
    ready.wait()
    for thread in threads:
        thread.join(timeout=warmup + seconds + 60)
    return result

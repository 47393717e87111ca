"""The station's local API: verified reads for the programs clerks already use (issue 11).

:class:`ApiServer` serves it (FastAPI on uvicorn, on a thread of its own) for whoever holds the core:
`station serve`, or the window when an administrator enables it. No Qt here.
"""

from __future__ import annotations

from cccd_station.station.api.server import ApiAddress, ApiServer, ApiServerError

__all__ = ["ApiAddress", "ApiServer", "ApiServerError"]

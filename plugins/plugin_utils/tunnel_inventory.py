# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turning normalized sessions into inventory hosts: names, variables, groups.

The sessions come from module_utils/_sessions (the same normalization as
tunnel_session_info); nothing here talks to an API.  Templating goes through
the plugin's templar and works on ansible-core 2.16 (string templates) as on
2.19+ (trusted templates, evaluate_conditional).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets

from ansible.errors import AnsibleError
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import redact, run_secrets
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.query import check_filters
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.normalize import SESSION_FIELDS

try:  # ansible-core 2.19+: inventory data is never trusted as a template
    from ansible.template import trust_as_template  # noqa: F401  pylint: disable=unused-import
    HAS_DATA_TAGGING = True
except ImportError:  # ansible-core 2.16-2.18: mark provider data unsafe ourselves
    HAS_DATA_TAGGING = False

# Sessions whose public endpoint is a TCP port a connection plugin can reach.
SSH_PROTOCOLS = ("tcp", "tlstcp")
DEFAULT_GROUPS = ("provider", "protocol", "region", "key_name")
CACHE_FORMAT = 1
# The cache entry that holds the salt of the credentials' hash in the cache keys.
CACHE_SALT_KEY = "tunnelops_tunnel_sessions_salt"
# A slow hash, so that the cache keys are no shortcut to guessing a credential (about 30 ms per run).
CACHE_KEY_ROUNDS = 50000

_FIELD_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
# Characters a host pattern (--limit, hosts:, --host) reads as syntax: anywhere, or at the start.
_PATTERN_SYNTAX = re.compile(r"[\s,:*?\[\]]")
_PATTERN_PREFIX = re.compile(r"^[!&~@]")
# What joins the parts of a templated name, and where an empty part leaves a gap: at either end, or doubled.
_SEPARATORS = r"[-_.:/@\s]"
_SEPARATOR_GAP = re.compile(r"^%s|%s$|%s{2}" % (_SEPARATORS, _SEPARATORS, _SEPARATORS))
_EMPTY_MARK = "TUNNELOPSEMPTY"
_MARK_AT_GAP = re.compile(r"(^|%s)%s|%s(%s|$)" % (_SEPARATORS, _EMPTY_MARK, _EMPTY_MARK, _SEPARATORS))


def make_unsafe(value):
    """Provider data must never be rendered as a template (a key named ``{{ ... }}``)."""
    if HAS_DATA_TAGGING:
        return value
    from ansible.utils.unsafe_proxy import wrap_var
    return wrap_var(value)


def is_template(text):
    return isinstance(text, str) and ("{{" in text or "{%" in text)


def check_hostnames(hostnames):
    """Each entry is a session field (dotted into ``raw``) or a Jinja2 template."""
    if not hostnames:
        raise AnsibleError("hostnames: give at least one field name or template, for example [id]")
    for index, entry in enumerate(hostnames):
        if not isinstance(entry, str) or not entry.strip():
            raise AnsibleError("hostnames[%d]: %r is not a field name or a template" % (index, entry))
        if is_template(entry):
            continue
        if not _FIELD_PATH.match(entry) or entry.split(".")[0] not in SESSION_FIELDS:
            raise AnsibleError("hostnames[%d]: %r is neither a session field (%s) nor a Jinja2 template "
                               "such as '{{ provider }}-{{ key_name }}'"
                               % (index, entry, ", ".join(SESSION_FIELDS)))


def field_value(session, path):
    value = session
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def host_variables(session, prefix, raw=True):
    """The host variables of a session: every normalized field under ``prefix`` (``raw`` only
    when ``raw`` is true), plus ``ansible_host``/``ansible_port`` where the public endpoint is a
    TCP port."""
    hostvars = dict(("%s%s" % (prefix, name), session.get(name)) for name in SESSION_FIELDS
                    if raw or name != "raw")
    if session.get("protocol") in SSH_PROTOCOLS and session.get("public_host") \
            and session.get("public_port") is not None:
        hostvars["ansible_host"] = session["public_host"]
        hostvars["ansible_port"] = session["public_port"]
    return hostvars


def template_variables(session, prefix, hostvars):
    """What templates and conditions see: the fields bare and with the prefix, ``raw`` included
    whether or not it is a host variable, plus the session's ``hostvars``."""
    variables = dict((name, session.get(name)) for name in SESSION_FIELDS)
    variables["%sraw" % prefix] = session.get("raw")
    variables.update(hostvars)
    return dict((k, make_unsafe(v)) for k, v in variables.items())


class Renderer:
    """Templates and conditions from the inventory source, on any supported ansible-core."""

    def __init__(self, templar, strict=False):
        self.templar = templar
        self.strict = strict

    def render(self, template, variables):
        self.templar.available_variables = variables
        return self.templar.template(template)

    def condition(self, conditional, variables):
        self.templar.available_variables = variables
        if hasattr(self.templar, "evaluate_conditional"):
            return bool(self.templar.evaluate_conditional(conditional))
        text = self.templar.template("{%% if %s %%} True {%% else %%} False {%% endif %%}" % conditional)
        return boolean(text, strict=False)

    def matches(self, option, conditions, variables, host_label):
        """Whether any condition holds; a broken one is false, or an error with ``strict``."""
        for conditional in conditions or ():
            try:
                if self.condition(conditional, variables):
                    return True
            except Exception as exc:  # a template error of any kind, as Constructable treats them
                if self.strict:
                    raise AnsibleError("%s: could not evaluate %r for %s: %s"
                                       % (option, conditional, host_label, exc))
        return False

    def hostname(self, hostnames, session, variables):
        """The first candidate that gives a complete name, or None.

        A name is incomplete when it is empty, or when an empty variable (None or "") left a
        separator at its start or end or two in a row (``pinggy-`` from ``{{ provider }}-{{ key_name }}``).
        """
        for entry in hostnames:
            if is_template(entry):
                try:
                    text = _name_text(self.render(entry, variables))
                    if text and _SEPARATOR_GAP.search(text) and self._left_by_empty(entry, variables):
                        text = None
                except Exception as exc:
                    if self.strict:
                        raise AnsibleError("hostnames: could not render %r for session %s: %s"
                                           % (entry, session.get("id"), exc))
                    continue
            else:
                text = _name_text(field_value(session, entry))
            if text:
                return text
        return None

    def _left_by_empty(self, entry, variables):
        """Whether an empty variable stands where the name has a gap: render again with a marker in its place."""
        marked = dict((k, make_unsafe(_EMPTY_MARK) if v is None or v == "" else v) for k, v in variables.items())
        return bool(_MARK_AT_GAP.search(str(self.render(entry, marked))))


def _name_text(value):
    """A candidate's value as a name: None when there is none (no value, a structure, a bool, empty)."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    # A plain str: on ansible-core < 2.19 a rendered name would stay marked unsafe, and the
    # JSON of ``ansible-inventory --list`` would show it as an object instead of a name.
    text = str.__str__(str(value)).strip()
    return text if text and text != "None" else None


def safe_hostname(name):
    """``name`` with the characters host patterns give a meaning to replaced by ``_``.

    A key named ``prod agents`` would otherwise give a host that ``--limit`` and
    ``hosts:`` cannot name (the pattern splits on the space).
    """
    return _PATTERN_PREFIX.sub("_", _PATTERN_SYNTAX.sub("_", name))


def unique_names(names):
    """Names made unique: a repeated name gets -2, -3, ... in list order.

    Names that occur once are kept first, so that a suffixed name never takes a
    name another entry has on its own (``web``, ``web``, ``web-2`` gives
    ``web``, ``web-3``, ``web-2``).
    """
    counts = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    used = set(name for name in names if name is not None)
    result = []
    seen = set()
    for name in names:
        if name is None:
            result.append(None)
            continue
        if counts[name] == 1 or name not in seen:
            seen.add(name)
            result.append(name)
            continue
        number = 2
        while "%s-%d" % (name, number) in used:
            number += 1
        unique = "%s-%d" % (name, number)
        used.add(unique)
        result.append(unique)
    return result


def session_order(session):
    """A stable order that does not depend on the order the API listed them in."""
    return (str(session.get("provider") or ""), str(session.get("id") or ""),
            str(session.get("session_id") or ""), str(session.get("public_url") or ""))


def default_group_names(session, which):
    """``provider_<provider>``, ``protocol_<protocol>``, ``region_<region>``, ``key_<key name>``."""
    labels = {"provider": "provider", "protocol": "protocol", "region": "region", "key_name": "key"}
    names = []
    for field in which:
        value = session.get(field)
        if value not in (None, ""):
            names.append("%s_%s" % (labels[field], value))
    return names


def filter_arguments(filters):
    """The ``filters`` option as keyword arguments of sessions.filter_sessions(), checked before any request."""
    allowed = ("protocols", "key_names", "ports")
    filters = filters or {}
    unknown = sorted(set(filters) - set(allowed))
    if unknown:
        raise AnsibleError("filters: unknown key(s) %s; use %s (and the providers option for providers)"
                           % (", ".join(unknown), ", ".join(allowed)))
    arguments = {}
    for key, value in filters.items():
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        if key == "ports":
            try:
                values = [v if isinstance(v, bool) else int(v) for v in values]
            except (TypeError, ValueError):
                raise AnsibleError("filters.ports: %r is not a list of port numbers" % (value,))
        else:
            values = [str(v) for v in values]
        arguments[key] = values
    try:
        return check_filters(prefix="filters.", **arguments)
    except TunnelConfigError as exc:
        raise AnsibleError(str(exc))


def empty_inventory_warning(total, left_out):
    """The warning for an inventory that its own source emptied; None when it is not empty for that reason.

    ``left_out`` maps each step of the source (``filters``, ``include and exclude``, ``hostnames``) to the
    number of sessions it left out.
    """
    steps = ["%s left out %d" % (step, count) for step, count in left_out.items() if count]
    if not total or not steps:
        return None
    return ("tunnel_sessions: the inventory is empty, but the providers have %d sessions: the %s. Check the "
            "source's options; an inventory sync that overwrites (AWX's overwrite) would remove every host."
            % (total, ", ".join(steps)))


def without_secrets(sessions):
    """The sessions, certain to hold no credential of this run (they go into the cache).

    The normalization already removes the secret fields from ``raw``; a full second
    redaction costs seconds on large fleets, so it runs only when a credential
    shows up somewhere in the JSON text.
    """
    text = json.dumps(sessions, default=str)
    if any(secret in text for secret in run_secrets()):
        return redact(sessions)
    return sessions


def new_cache_salt():
    return secrets.token_hex(16)


def credential_digest(salt, credentials):
    """Part of the cache key: the credentials as a salted PBKDF2-SHA256 hash (never the credentials)."""
    text = json.dumps(credentials)
    return hashlib.pbkdf2_hmac("sha256", text.encode("utf-8"), salt.encode("utf-8"), CACHE_KEY_ROUNDS).hex()[:16]


def cache_suffix(providers, urls):
    """Part of the cache key: another provider set or API gives another cache entry.

    Only provider names and URLs go in (hashed); never a credential.
    """
    text = json.dumps([sorted(providers), [urls.get(p) for p in sorted(providers)]])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]

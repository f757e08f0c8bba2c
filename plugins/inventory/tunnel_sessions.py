# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: tunnel_sessions
short_description: Active Openport, ngrok and Pinggy tunnel sessions as inventory hosts
version_added: 0.1.0
author:
  - tunnelops contributors (@tunnelops)
description:
  - Reads the active tunnel sessions of the chosen providers and makes one host of each session entry,
    as normalized by M(tunnelops.tunnels.tunnel_session_info) (one entry per public endpoint; an ngrok
    agent session with two tunnels gives two hosts).
  - For TCP tunnels (V(tcp), and Pinggy's V(tlstcp)) C(ansible_host) and C(ansible_port) are the public
    endpoint, so a play can connect through the tunnel. For HTTP and TLS tunnels the public URL is in the
    C(<prefix>public_url) variable.
  - An Openport host's port is protected (C(tunnel_protected) is V(true)), so it refuses connections until the
    session's open-for-IP link was opened from the controller's address. Open it in the play's C(pre_tasks) with
    M(tunnelops.tunnels.openport_ip_link), which reads the link from the API (the link is a secret and never a host
    variable), or turn IP link protection off for the machine's key. C(tunnel_redirect_url) is the session's
    redirect URL with its token masked (Openport ports are volatile; refresh the inventory after a port moved).
  - Every normalized field is a host variable under O(hostvars_prefix) (C(tunnel_public_url),
    C(tunnel_key_name), ...), except the provider's whole record C(raw), which becomes C(tunnel_raw) only with
    O(raw_host_var). Templates and conditions see C(raw) either way. Credentials never become host variables,
    and the C(raw) records carry no secret.
  - Providers are asked at the same time, and each provider's lists are paged through side by side. The
    number of API requests is the number of pages needed, never one per host.
  - The inventory source file name must end in C(tunnel_sessions.yml) or C(tunnel_sessions.yaml).
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
  - tunnelops.tunnels.openport.plugins
  - tunnelops.tunnels.ngrok.plugins
  - tunnelops.tunnels.pinggy.plugins
  - tunnelops.tunnels.common.plugins
options:
  plugin:
    description: The name of this plugin; makes the file an inventory source for it.
    required: true
    type: str
    choices: [tunnelops.tunnels.tunnel_sessions]
  providers:
    description:
      - The providers whose sessions become hosts.
      - If not set, every provider whose credential is set (as an option or in the environment).
      - A provider named here without its credential is an error, raised before any request.
    type: list
    elements: str
    choices: [openport, ngrok, pinggy]
  hostnames:
    description:
      - How to name the hosts. The candidates are tried in order; the first that gives a non-empty
        value names the host.
      - A candidate is either a field of the normalized session (V(id), V(public_host), V(key_name), ...,
        or a path into the raw record such as V(raw.session.metadata)), or a Jinja2 template such as
        V("{{ key_name }}-{{ public_port }}") that can use the fields (bare or with O(hostvars_prefix)).
      - A template whose result is empty, or that an empty field (null or V("")) leaves with a separator
        (V(-), V(_), V(.), V(:), V(/), V(@) or a space) at its start or end, or with two in a row, gives no name, and
        the next candidate is tried. With V(["{{ provider }}-{{ key_name }}", id]) a session without a key name is
        named by its id, never V(pinggy-). A template that fills in an empty field itself
        (V("{{ key_name or 'anon' }}")) is used as it renders.
      - Names are made unique in a stable order (by provider, then session entry id). The second host
        with the same name gets the suffix V(-2), the third V(-3), and so on.
      - A session for which no candidate gives a name is left out, with a warning.
    type: list
    elements: str
    default: [id]
  sanitize_hostnames:
    description:
      - Replace by V(_) the characters of a host name that host patterns (C(--limit), C(hosts:)) read as
        syntax. Whitespace, V(,), V(:), V(*), V(?), V([) and V(]) anywhere, and V(!), V(&), V(~) and V(@) at
        the start. A key named V(prod agents) gives the host V(prod_agents).
      - Names are sanitized before they are made unique.
      - V(false) keeps the names as rendered; such hosts can then only be reached through groups.
    type: bool
    default: true
  hostvars_prefix:
    description:
      - Prefix of the host variables that hold the normalized fields.
      - V("") puts them under their bare names (C(public_url), C(provider), ...).
    type: str
    default: tunnel_
  raw_host_var:
    description:
      - Whether the provider's whole record, the normalized field C(raw) with its secrets removed, becomes a
        host variable (C(<prefix>raw), by default C(tunnel_raw)).
      - It is by far the largest host variable, and ansible-core pays for its size on every host, in
        C(ansible-inventory), in AWX inventory syncs and in every play. Leave it off for large inventories.
      - Off, templates and conditions still see C(raw) and C(<prefix>raw) (O(compose), O(groups),
        O(keyed_groups), O(hostnames), O(include), O(exclude)), and O(hostnames) paths such as
        V(raw.session.metadata) still work, so O(compose) can set the fields of the record a play needs as
        host variables (see the examples). ansible-core renders each O(compose) entry on every host, which
        has a CPU cost of its own.
      - The cache holds the sessions with their records either way, so changing this option needs no flush.
    type: bool
    default: false
  default_groups:
    description:
      - Groups every host is put in by its normalized fields, with group names sanitized like those of
        O(keyed_groups).
        V(provider) gives C(provider_<provider>), V(protocol) C(protocol_<protocol>),
        V(region) C(region_<region>) (the ngrok region, the Openport server), and
        V(key_name) C(key_<key name>). A field without a value gives no group.
      - V([]) turns them off; O(keyed_groups) and O(groups) can then make your own.
    type: list
    elements: str
    choices: [provider, protocol, region, key_name]
    default: [provider, protocol, region, key_name]
  filters:
    description:
      - Keep only the sessions that pass every filter given, with the same meaning as the options of
        M(tunnelops.tunnels.tunnel_session_info).
      - C(protocols) is a list of protocols (V(tcp), V(http), V(https), V(tls), V(tlstcp), V(udp)), where V(udp)
        also matches a TCP tunnel with UDP forwarding on; C(key_names) a list of shell-style patterns of
        the key or credential name (V(ci-*)); C(ports) a list of public or local port numbers.
      - Filters apply before O(include) and O(exclude).
      - A filter that can never match, a protocol no session has (V(ssh)) or a port outside 1-65535, fails the
        inventory before any request, naming it (C(filters.protocols)).
      - When the providers have sessions but the filters, O(include), O(exclude) and O(hostnames) leave none of
        them, the inventory warns, saying how many each left out, since an inventory sync that overwrites would remove
        every host.
    type: dict
    default: {}
  include:
    description:
      - Jinja2 conditions over the session's fields (bare, or with O(hostvars_prefix)). When given,
        a session becomes a host only when at least one condition is true.
      - Conditions are evaluated in memory after the sessions were listed; they never add requests.
      - A condition that cannot be evaluated counts as false, or fails the inventory with O(strict).
    type: list
    elements: str
    default: []
  exclude:
    description:
      - Jinja2 conditions over the session's fields. A session for which any condition is true is left
        out, even when it matches O(include).
      - A condition that cannot be evaluated counts as false, or fails the inventory with O(strict).
    type: list
    elements: str
    default: []
  fail_on_provider_error:
    description:
      - What to do when a provider cannot be read (an API error, a time-out, a refused credential).
      - V(false) warns, naming the provider and the masked error, and still makes hosts of the other
        providers' sessions. When every provider failed the inventory fails anyway.
      - V(true) fails the inventory. Use it for AWX inventory sources with C(overwrite) on, where a
        partial inventory would delete the hosts of the failed provider.
      - O(strict) does not change this; it is about O(compose), O(groups) and O(keyed_groups).
      - A run in which a provider failed does not write the cache.
    type: bool
    default: false
notes:
  - With O(cache) on, a run within O(cache_timeout) reads the sessions from the cache and makes no API
    request; O(compose), O(groups), O(hostnames), O(raw_host_var) and the filters are applied again on every
    run, so changing them needs no cache flush. The cache holds the normalized sessions with their secrets removed, never a
    credential. C(ansible-inventory --flush-cache) asks the APIs again.
  - The cache key follows the providers, their API URLs and their credentials, the credentials as a salted, slow hash
    (PBKDF2-SHA256 with a random salt kept in the cache). Another credential, or one revoked and replaced, never reads
    the sessions cached for the previous one.
  - AWX and Ansible Automation Platform can use this plugin as an inventory source; see the collection's
    C(docs/inventory.md) for the credential type that injects the credentials as environment variables.
seealso:
  - module: tunnelops.tunnels.tunnel_session_info
"""

EXAMPLES = r"""
# openport.tunnel_sessions.yml: Openport sessions, token from OPENPORT_TOKEN
plugin: tunnelops.tunnels.tunnel_sessions
providers: [openport]
hostnames:
  - "{{ key_name }}-{{ public_port }}"
  - id


# ngrok.tunnel_sessions.yml: ngrok TCP tunnels only, named by credential description
plugin: tunnelops.tunnels.tunnel_sessions
providers: [ngrok]
ngrok_api_key: "{{ lookup('ansible.builtin.env', 'NGROK_KEY_PROD') }}"
filters:
  protocols: [tcp]
hostnames: [key_name, id]
keyed_groups:
  - key: tunnel_region
    prefix: ngrok_region


# ngrok_agents.tunnel_sessions.yml: single fields of the provider's record as host variables
plugin: tunnelops.tunnels.tunnel_sessions
providers: [ngrok]
compose:
  # raw is the record ngrok gave: {"session": <tunnel session>, "tunnel": <tunnel or null>}
  agent_os: raw.session.os
  forwards_to: raw.tunnel.forwards_to if raw.tunnel else none
keyed_groups:
  - key: raw.session.transport
    prefix: transport


# debug.tunnel_sessions.yml: the whole provider record as the host variable tunnel_raw (secrets removed)
plugin: tunnelops.tunnels.tunnel_sessions
raw_host_var: true


# pinggy.tunnel_sessions.yml: Pinggy sessions, HTTP tunnels get a url variable
plugin: tunnelops.tunnels.tunnel_sessions
providers: [pinggy]
pinggy_api_key: "{{ lookup('ansible.builtin.env', 'PINGGY_API_KEY') }}"
compose:
  app_url: tunnel_public_url
groups:
  web: tunnel_protocol == 'http'


# all.tunnel_sessions.yml: the three providers together, cached for five minutes
plugin: tunnelops.tunnels.tunnel_sessions
providers: [openport, ngrok, pinggy]
hostnames:
  # a session without a key name gives no "pinggy-": the id names it
  - "{{ provider }}-{{ key_name }}"
  - id
include:
  - protocol in ['tcp', 'tlstcp']
exclude:
  - key_name is not none and key_name.startswith('tmp-')
default_groups: [provider, key_name]
keyed_groups:
  - key: tunnel_protocol
    prefix: proto
compose:
  ansible_user: "'deploy'"
fail_on_provider_error: true
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible/tunnel_sessions
cache_timeout: 300
"""

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.tunnelops.tunnels.plugins.module_utils import connection
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import mask_text
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.collect import collect_sessions
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.query import filter_sessions
from ansible_collections.tunnelops.tunnels.plugins.plugin_utils.tunnel_inventory import (
    CACHE_FORMAT, CACHE_SALT_KEY, Renderer, cache_suffix, check_hostnames, credential_digest, default_group_names,
    empty_inventory_warning, filter_arguments, new_cache_salt,
    host_variables, is_template, safe_hostname, session_order, template_variables, unique_names,
    without_secrets)

# Options whose value in the source file may be a template (a lookup of a secret store, say).
TEMPLATED_OPTIONS = frozenset(option.name for option in connection.OPTIONS if option.templated)


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = "tunnelops.tunnels.tunnel_sessions"
    INVENTORY_FILE_SUFFIXES = ("tunnel_sessions.yml", "tunnel_sessions.yaml")

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(self.INVENTORY_FILE_SUFFIXES)

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        hostnames = self.get_option("hostnames")
        check_hostnames(hostnames)
        filters = filter_arguments(self.get_option("filters"))

        params = self._connection_params()
        try:
            providers = connection.select_providers(params, self.get_option("providers"))
            urls = dict((p, connection.check_connection_params(p, params)) for p in providers)
        except TunnelError as exc:
            raise AnsibleParserError(mask_text(str(exc)))
        cache_key = self._cache_key(path, params, providers, urls)

        sessions = self._cached_sessions(cache_key) if cache else None
        if sessions is None:
            sessions, complete = self._fetch_sessions(params, providers)
            # A partial answer is shown, but not kept: the next run asks again.
            if self.get_option("cache") and complete:
                self._cache[cache_key] = {"format": CACHE_FORMAT, "providers": providers, "sessions": sessions}
        kept = filter_sessions(sessions, **filters)
        left_out = self._populate(kept, hostnames)
        # Other sources may share the inventory: count this source's hosts, not the inventory's.
        if sum(left_out.values()) == len(kept):
            warning = empty_inventory_warning(len(sessions), dict(filters=len(sessions) - len(kept), **left_out))
            if warning:
                self.display.warning(warning)

    # -- options ------------------------------------------------------------

    def _connection_params(self):
        params = {}
        for name in connection.BY_NAME:
            value = self.get_option(name)
            if name in TEMPLATED_OPTIONS and is_template(value):
                try:
                    value = self.templar.template(value)
                except Exception as exc:
                    # The message names the option only: a rendered template may hold a secret.
                    raise AnsibleParserError("%s: the template could not be rendered (%s)"
                                             % (name, exc.__class__.__name__))
            params[name] = value
        return params

    # -- cache ------------------------------------------------------------

    def _cache_key(self, path, params, providers, urls):
        """The cache entry of this source, its providers and URLs, and its credentials.

        The credentials count as a salted, slow hash: another or a revoked credential never reads the
        sessions cached for the previous one, and the cache holds no credential nor a plain hash of one.
        """
        key = "%s_%s" % (self.get_cache_key(path), cache_suffix(providers, urls))
        if not self.get_option("cache"):
            return key
        credentials = [[p, connection.credential_of(p, params)] for p in sorted(providers)]
        return "%s_%s" % (key, credential_digest(self._cache_salt(), credentials))

    def _cache_salt(self):
        """A random salt kept in the cache, so that the runs that share a cache agree on its keys."""
        try:
            salt = self._cache[CACHE_SALT_KEY]
        except KeyError:
            salt = None
        if not isinstance(salt, str) or len(salt) < 32:
            salt = new_cache_salt()
            self._cache[CACHE_SALT_KEY] = salt
        return salt

    # -- sessions -----------------------------------------------------------

    def _cached_sessions(self, cache_key):
        if not self.get_option("cache"):
            return None
        try:
            entry = self._cache[cache_key]
        except KeyError:
            return None
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT:
            return None
        return entry.get("sessions")

    def _fetch_sessions(self, params, providers):
        from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import HAS_REQUESTS
        if not HAS_REQUESTS:
            raise AnsibleParserError("The tunnelops.tunnels.tunnel_sessions inventory needs the Python "
                                     "library 'requests' on the controller (pip install requests).")
        try:
            clients = dict((p, connection.client_from_params(p, params)) for p in providers)
        except TunnelError as exc:
            raise AnsibleParserError(mask_text(str(exc)))
        if params.get("validate_certs") is False:
            self.display.warning("tunnel_sessions: validate_certs is false: TLS certificates are not "
                                 "verified, so the credentials could be read by anyone in the path to the API.")
        sessions, errors = collect_sessions(clients)
        if errors:
            text = "; ".join(mask_text(e["message"]) for e in errors)
            failed = sorted(set(e["provider"] for e in errors))
            if self.get_option("fail_on_provider_error") or len(failed) == len(providers):
                raise AnsibleParserError("tunnel_sessions: could not read the sessions of %s: %s"
                                         % (", ".join(failed), text))
            self.display.warning("tunnel_sessions: %s left out of the inventory: %s" % (", ".join(failed), text))
        return without_secrets(sessions), not errors

    # -- hosts ------------------------------------------------------------

    def _populate(self, sessions, hostnames):
        prefix = self.get_option("hostvars_prefix") or ""
        raw_host_var = self.get_option("raw_host_var")
        sanitize = self.get_option("sanitize_hostnames")
        renderer = Renderer(self.templar, strict=self.get_option("strict"))
        include = self.get_option("include")
        exclude = self.get_option("exclude")

        chosen, left_out = [], {"include and exclude": 0, "hostnames": 0}
        for session in sorted(sessions, key=session_order):
            hostvars = host_variables(session, prefix, raw=raw_host_var)
            variables = template_variables(session, prefix, hostvars)
            label = "%s session %s" % (session.get("provider"), session.get("id"))
            if (include and not renderer.matches("include", include, variables, label)) \
                    or (exclude and renderer.matches("exclude", exclude, variables, label)):
                left_out["include and exclude"] += 1
                continue
            name = renderer.hostname(hostnames, session, variables)
            if name is None:
                self.display.warning("tunnel_sessions: no hostnames entry gave a name for %s; it is left out"
                                     % label)
                left_out["hostnames"] += 1
                continue
            chosen.append((safe_hostname(name) if sanitize else name, session, hostvars, variables))

        names = unique_names([entry[0] for entry in chosen])
        options = dict((name, self.get_option(name))
                       for name in ("default_groups", "compose", "groups", "keyed_groups", "strict"))
        groups = {}  # default group name -> its sanitized name, worked out once per group, not per host
        for host, (_name, session, hostvars, variables) in zip(names, chosen):
            self._add_session_host(host, session, hostvars, variables, options, groups)
        return left_out

    def _add_session_host(self, host, session, hostvars, variables, options, groups):
        self.inventory.add_host(host)
        # The values made unsafe for the templates are the host variables' values: wrap once.
        for key in hostvars:
            self.inventory.set_variable(host, key, variables[key])
        for group in default_group_names(session, options["default_groups"]):
            if group not in groups:
                groups[group] = self.inventory.add_group(self._sanitize_group_name(group))
            self.inventory.add_child(groups[group], host)
        strict = options["strict"]
        self._set_composite_vars(options["compose"], variables, host, strict=strict)
        self._add_host_to_composed_groups(options["groups"], variables, host, strict=strict)
        self._add_host_to_keyed_groups(options["keyed_groups"], variables, host, strict=strict)

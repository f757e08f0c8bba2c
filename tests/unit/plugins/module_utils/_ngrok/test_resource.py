# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every ngrok resource shares in the state machine: ids checked before any request."""

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import api_key, credential, ssh_credential
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.machine import ensure
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_ngrok import FakeNgrok


def params(**kwargs):
    base = dict(state="present", id=None, description=None, metadata=None, acl=None, owner_id=None, rotate=False,
                public_key=None, replace=False)
    base.update(kwargs)
    return base


@pytest.mark.parametrize("resource, bad", [
    (credential.TokenResource, "../api_keys/ak_2RfSBcv0nsy71XCHWOegjx1OoKh"),
    (credential.TokenResource, "ak_2RfSBcv0nsy71XCHWOegjx1OoKh"),
    (api_key.ApiKeyResource, "cr_2RfSBcv0nsy71XCHWOegjx1OoKh"),
    (ssh_credential.SshCredentialResource, "sshcr_x/../../credentials/cr_y"),
])
@pytest.mark.parametrize("state", ["present", "absent"])
def test_an_id_of_the_wrong_form_fails_before_any_request(resource, bad, state):
    client = FakeNgrok(credentials=[], api_keys=[], ssh_credentials=[])
    with pytest.raises(TunnelConfigError) as err:
        ensure(resource(FakeTM(client, params(id=bad, state=state))))
    assert err.value.option == "id"
    assert client.log == []

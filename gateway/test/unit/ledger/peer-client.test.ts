import { expect } from 'chai';
import { DEFAULT_RECONNECT_BACKOFF, peerChannelOptions } from '../../../src/ledger/peer-client';

const peer = { endpoint: '127.0.0.1:7101', hostAlias: 'peer0.advertiser.adrecon.local', tlsRootCertPath: '/x' };

describe('peer gRPC channel options', () => {
  it('bound the reconnect backoff far below grpc-js default of 120 s', () => {
    const options = peerChannelOptions(peer);
    expect(options['grpc.initial_reconnect_backoff_ms']).to.equal(250);
    expect(options['grpc.max_reconnect_backoff_ms']).to.equal(2000);
    expect(DEFAULT_RECONNECT_BACKOFF.maxMs).to.be.at.most(5000);
  });

  it('take a configured bound and keep the TLS host name override', () => {
    const options = peerChannelOptions(peer, { initialMs: 100, maxMs: 1500 });
    expect(options).to.include({
      'grpc.ssl_target_name_override': 'peer0.advertiser.adrecon.local',
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1500,
    });
  });
});

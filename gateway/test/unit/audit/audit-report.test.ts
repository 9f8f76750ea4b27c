import { expect } from 'chai';
import { agrees, formatAuditReport } from '../../../src/audit/audit-report';

const peers = [
  { peer: 'peer0.advertiser', mspId: 'AdvertiserMSP', height: 12n },
  { peer: 'peer0.publisher', mspId: 'PublisherMSP', height: 12n },
  { peer: 'peer0.agency', mspId: 'AgencyMSP', height: 13n },
];

describe('audit report', () => {
  it('says all peers agree up to the last common block, with each height', () => {
    const result = { peers, agreedThrough: 11n, differences: [] };
    expect(agrees(result)).to.be.true;
    expect(formatAuditReport(result)).to.equal(
      [
        'all 3 peers agree up to block 11',
        '  peer0.advertiser (AdvertiserMSP): height 12',
        '  peer0.publisher (PublisherMSP): height 12',
        '  peer0.agency (AgencyMSP): height 13 (later blocks not compared: other peers lack them)',
        '',
      ].join('\n'),
    );
  });

  it('names the peer, the block and how it differs, then what still agrees', () => {
    const result = {
      peers,
      agreedThrough: 6n,
      differences: [
        { peer: 'peer0.publisher', mspId: 'PublisherMSP', block: 7n, kind: 'data-hash' as const, detail: 'changed' },
      ],
    };
    expect(agrees(result)).to.be.false;
    const lines = formatAuditReport(result).split('\n');
    expect(lines.slice(0, 2)).to.deep.equal([
      'peer0.publisher (PublisherMSP) differs at block 7: data-hash: changed',
      'all 3 peers agree up to block 6',
    ]);
  });

  it('says when not even block 0 agrees', () => {
    const result = {
      peers,
      agreedThrough: -1n,
      differences: [{ peer: 'peer0.agency', mspId: 'AgencyMSP', block: 0n, kind: 'header' as const, detail: 'x' }],
    };
    expect(formatAuditReport(result)).to.include('no block is the same on every peer');
  });
});

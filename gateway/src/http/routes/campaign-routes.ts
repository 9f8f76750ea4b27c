import {
  campaignProposalSchema,
  campaignTermsSchema,
  makeGoodInputSchema,
  makeGoodListQuerySchema,
  TRANSACTIONS,
} from '@adrecon/contract';
import type { RegisterRoute } from '../route';
import {
  acceptanceBodySchema,
  campaignListQuery,
  campaignParams,
  campaignVersionParams,
  cancellationBodySchema,
  emptyBodySchema,
  makeGoodParams,
} from '../schemas';
import { amendSplit, proposeSplit } from '../../campaigns/split-proposal';
import { readResult, written, writtenAs } from './ledger-calls';
import { containsRequest, createOrRepeat } from './repeat-outcome';

const TX = TRANSACTIONS.campaigns;

/** Campaign (insertion order) and make-good endpoints. */
export function registerCampaignRoutes(register: RegisterRoute): void {
  const tag = 'Campaigns';
  register({
    method: 'post',
    path: '/campaigns',
    summary: 'Propose a campaign (the proposer accepts version 1); 201 new, 200 identical repeat, 409 id taken',
    tag,
    permission: 'campaigns:write',
    body: campaignProposalSchema,
    response: TX.GetVersion.result,
    successStatus: 201,
    handler: async (ctx) => {
      const org = ctx.principal.mspId;
      const { campaignId } = ctx.body;
      const propose = async () =>
        writtenAs(await proposeSplit(ctx.contract, org, ctx.body), () =>
          ctx.contract.campaigns.getVersion(org, campaignId, 1),
        );
      return createOrRepeat(propose, {
        existing: () => ctx.contract.campaigns.getVersion(org, ctx.body.campaignId, 1),
        matches: (campaign) => campaign.proposedBy === org && containsRequest(campaign, ctx.body),
      });
    },
  });
  register({
    method: 'post',
    path: '/campaigns/{campaignId}/amendments',
    summary: 'Amend the terms: a new version that needs every party again',
    tag,
    permission: 'campaigns:write',
    params: campaignParams,
    body: campaignTermsSchema,
    response: TX.GetVersion.result,
    handler: async (ctx) => {
      const org = ctx.principal.mspId;
      const { campaignId } = ctx.params;
      const amended = await amendSplit(ctx.contract, org, campaignId, ctx.body);
      return writtenAs(amended, () => ctx.contract.campaigns.getVersion(org, campaignId, amended.result.version));
    },
  });
  register({
    method: 'post',
    path: '/campaigns/{campaignId}/acceptances',
    summary: "Accept the current version as the caller's organization",
    tag,
    permission: 'campaigns:write',
    params: campaignParams,
    body: acceptanceBodySchema,
    response: TX.GetVersion.result,
    handler: async (ctx) => {
      const org = ctx.principal.mspId;
      const { campaignId } = ctx.params;
      const accepted = await ctx.contract.campaigns.accept(org, campaignId, ctx.body.version);
      return writtenAs(accepted, () => ctx.contract.campaigns.getVersion(org, campaignId, accepted.result.version));
    },
  });
  register({
    method: 'post',
    path: '/campaigns/{campaignId}/cancellation',
    summary: 'Cancel the campaign',
    tag,
    permission: 'campaigns:write',
    params: campaignParams,
    body: cancellationBodySchema,
    response: TX.Get.result,
    handler: async (ctx) => {
      const org = ctx.principal.mspId;
      const { campaignId } = ctx.params;
      const cancelled = await ctx.contract.campaigns.cancel(org, campaignId, ctx.body.reason ?? '');
      return writtenAs(cancelled, () => ctx.contract.campaigns.get(org, campaignId));
    },
  });
  register({
    method: 'post',
    path: '/campaigns/{campaignId}/completion',
    summary: 'Mark the campaign completed',
    tag,
    permission: 'campaigns:write',
    params: campaignParams,
    body: emptyBodySchema,
    response: TX.Get.result,
    handler: async (ctx) => {
      const org = ctx.principal.mspId;
      const { campaignId } = ctx.params;
      const completed = await ctx.contract.campaigns.complete(org, campaignId);
      return writtenAs(completed, () => ctx.contract.campaigns.get(org, campaignId));
    },
  });
  register({
    method: 'get',
    path: '/campaigns',
    summary: 'Campaigns the caller is party to (paginated)',
    tag,
    permission: 'read',
    query: campaignListQuery,
    response: TX.List.result,
    handler: async (ctx) => readResult(await ctx.contract.campaigns.list(ctx.principal.mspId, ctx.query)),
  });
  register({
    method: 'get',
    path: '/time-zone-rules',
    summary:
      "The tz rules the caller's organization's chaincode server computes campaign days with (version, digest, offsets)",
    tag,
    permission: 'read',
    response: TX.TimeZoneRules.result,
    handler: async (ctx) => readResult(await ctx.contract.campaigns.timeZoneRules(ctx.principal.mspId)),
  });
  register({
    method: 'get',
    path: '/campaigns/{campaignId}',
    summary: 'The current version of a campaign',
    tag,
    permission: 'read',
    params: campaignParams,
    response: TX.Get.result,
    handler: async (ctx) => readResult(await ctx.contract.campaigns.get(ctx.principal.mspId, ctx.params.campaignId)),
  });
  register({
    method: 'get',
    path: '/campaigns/{campaignId}/versions/{version}',
    summary: 'One version of a campaign',
    tag,
    permission: 'read',
    params: campaignVersionParams,
    response: TX.GetVersion.result,
    handler: async (ctx) =>
      readResult(
        await ctx.contract.campaigns.getVersion(ctx.principal.mspId, ctx.params.campaignId, ctx.params.version),
      ),
  });
  register({
    method: 'get',
    path: '/campaigns/{campaignId}/history',
    summary: 'Every transaction that wrote the campaign',
    tag,
    permission: 'read',
    params: campaignParams,
    response: TX.History.result,
    handler: async (ctx) =>
      readResult(await ctx.contract.campaigns.history(ctx.principal.mspId, ctx.params.campaignId)),
  });
  register({
    method: 'post',
    path: '/make-goods',
    summary: "Propose a make-good for a line item that ended under-delivered (the line item's publisher)",
    tag: 'Make-goods',
    permission: 'campaigns:write',
    body: makeGoodInputSchema,
    response: TX.ProposeMakeGood.result,
    successStatus: 201,
    handler: async (ctx) => written(await ctx.contract.campaigns.proposeMakeGood(ctx.principal.mspId, ctx.body), 201),
  });
  register({
    method: 'post',
    path: '/campaigns/{campaignId}/line-items/{lineItemId}/make-goods/{makeGoodId}/acceptances',
    summary: 'Accept a make-good as the advertiser or the agency (ACCEPTED once both have)',
    tag: 'Make-goods',
    permission: 'campaigns:write',
    params: makeGoodParams,
    response: TX.AcceptMakeGood.result,
    handler: async (ctx) =>
      written(
        await ctx.contract.campaigns.acceptMakeGood(
          ctx.principal.mspId,
          ctx.params.campaignId,
          ctx.params.lineItemId,
          ctx.params.makeGoodId,
        ),
      ),
  });
  register({
    method: 'get',
    path: '/make-goods',
    summary: "A line item's make-goods and what each delivered",
    tag: 'Make-goods',
    permission: 'read',
    query: makeGoodListQuerySchema,
    response: TX.ListMakeGoods.result,
    handler: async (ctx) => readResult(await ctx.contract.campaigns.listMakeGoods(ctx.principal.mspId, ctx.query)),
  });
}

import type { RegisterRoute } from '../route';
import {
  acceptanceSchema,
  campaignListQuery,
  campaignParams,
  campaignProposalSchema,
  campaignTermsSchema,
  campaignVersionParams,
  cancellationSchema,
  emptyBodySchema,
} from '../schemas';
import { read, write } from './ledger-calls';

/** Campaign (insertion order) endpoints. */
export function registerCampaignRoutes(register: RegisterRoute): void {
  const tag = 'Campaigns';
  register({
    method: 'post',
    path: '/campaigns',
    summary: 'Propose a campaign (the proposer accepts version 1)',
    tag,
    permission: 'campaigns:write',
    body: campaignProposalSchema,
    successStatus: 201,
    handler: (ctx) => write(ctx, 'campaigns:Propose', JSON.stringify(ctx.body)),
  });
  register({
    method: 'post',
    path: '/campaigns/{campaignId}/amendments',
    summary: 'Amend the terms: a new version that needs every party again',
    tag,
    permission: 'campaigns:write',
    params: campaignParams,
    body: campaignTermsSchema,
    handler: (ctx) => write(ctx, 'campaigns:Amend', ctx.params.campaignId, JSON.stringify(ctx.body)),
  });
  register({
    method: 'post',
    path: '/campaigns/{campaignId}/acceptances',
    summary: "Accept the current version as the caller's organization",
    tag,
    permission: 'campaigns:write',
    params: campaignParams,
    body: acceptanceSchema,
    handler: (ctx) => write(ctx, 'campaigns:Accept', ctx.params.campaignId, String(ctx.body.version)),
  });
  register({
    method: 'post',
    path: '/campaigns/{campaignId}/cancellation',
    summary: 'Cancel the campaign',
    tag,
    permission: 'campaigns:write',
    params: campaignParams,
    body: cancellationSchema,
    handler: (ctx) => write(ctx, 'campaigns:Cancel', ctx.params.campaignId, ctx.body.reason ?? ''),
  });
  register({
    method: 'post',
    path: '/campaigns/{campaignId}/completion',
    summary: 'Mark the campaign completed',
    tag,
    permission: 'campaigns:write',
    params: campaignParams,
    body: emptyBodySchema,
    handler: (ctx) => write(ctx, 'campaigns:Complete', ctx.params.campaignId),
  });
  register({
    method: 'get',
    path: '/campaigns',
    summary: 'Campaigns the caller is party to (paginated)',
    tag,
    permission: 'read',
    query: campaignListQuery,
    handler: (ctx) => read(ctx, 'campaigns:List', JSON.stringify(ctx.query)),
  });
  register({
    method: 'get',
    path: '/campaigns/{campaignId}',
    summary: 'The current version of a campaign',
    tag,
    permission: 'read',
    params: campaignParams,
    handler: (ctx) => read(ctx, 'campaigns:Get', ctx.params.campaignId),
  });
  register({
    method: 'get',
    path: '/campaigns/{campaignId}/versions/{version}',
    summary: 'One version of a campaign',
    tag,
    permission: 'read',
    params: campaignVersionParams,
    handler: (ctx) => read(ctx, 'campaigns:GetVersion', ctx.params.campaignId, String(ctx.params.version)),
  });
  register({
    method: 'get',
    path: '/campaigns/{campaignId}/history',
    summary: 'Every transaction that wrote the campaign',
    tag,
    permission: 'read',
    params: campaignParams,
    handler: (ctx) => read(ctx, 'campaigns:History', ctx.params.campaignId),
  });
}

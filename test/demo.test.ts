/**
 * The demo's GraphiQL tour and the README describe the sample desks the simulators really
 * serve: how many tickets each desk holds, and the refs to try.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, validate, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { tourQuery } from '../src/demo.js';
import { buildSchema } from '../src/schema/index.js';
import { graphiqlTour } from '../src/server/graphiql-tour.js';
import { headoniSampleTickets } from '../src/simulators/headoni/data.js';
import { hostUpSampleTickets } from '../src/simulators/hostup/data.js';
import { intercomSampleTickets } from '../src/simulators/intercom/data.js';
import { teamBattlesSampleTickets } from '../src/simulators/teambattles/data.js';
import { tickitiSampleTickets } from '../src/simulators/tickiti/data.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the demo desks, as the tour and the README tell them', () => {
  const desks = [headoniSampleTickets(), tickitiSampleTickets(), intercomSampleTickets(), hostUpSampleTickets(), teamBattlesSampleTickets()];

  it('hold 25 sample tickets each, as both say', () => {
    expect(desks.map((desk) => desk.length)).toEqual([25, 25, 25, 25, 25]);
    expect(tourQuery()).toContain('# 25 sample tickets each.');
    expect(README).toContain('with 25 sample tickets each.');
  });

  it('number their tickets as the tour says: Headoni 1240-1264, Tickiti 220000-220024', () => {
    const headoni = headoniSampleTickets().map((ticket) => Number(ticket.number));
    const tickiti = tickitiSampleTickets().map((data) => Number(data.ticket.number));
    expect([Math.min(...headoni), Math.max(...headoni), new Set(headoni).size]).toEqual([1240, 1264, 25]);
    expect([Math.min(...tickiti), Math.max(...tickiti), new Set(tickiti).size]).toEqual([220000, 220024, 25]);
    expect(tourQuery()).toContain('# - another ref in inbox: Headoni 1240-1264,\n#   Tickiti 220000-220024\n');
  });
});

describe('the GraphiQL tour', () => {
  const schema = buildSchema();
  it('is a valid operation over the schema, with the demo samples and without them', () => {
    expect(validate(schema, parse(tourQuery()))).toEqual([]);
    expect(validate(schema, parse(graphiqlTour()))).toEqual([]);
  });

  it('over real desks asks only for the providers: it cannot know their refs', () => {
    const operation = parse(graphiqlTour()).definitions[0] as OperationDefinitionNode;
    expect(operation.selectionSet.selections.map((selection) => (selection as FieldNode).name.value)).toEqual(['providers']);
  });
});

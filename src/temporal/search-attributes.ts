/**
 * Typed search attributes, for operators who look at cycles in the Temporal UI.
 * States only: a stage name and a stalled flag, never anything about a person.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const STAGE_ATTRIBUTE = defineSearchAttributeKey('TandemStage', SearchAttributeType.KEYWORD);
export const STALLED_ATTRIBUTE = defineSearchAttributeKey('TandemStalled', SearchAttributeType.BOOL);

export const TANDEM_SEARCH_ATTRIBUTES = [STAGE_ATTRIBUTE, STALLED_ATTRIBUTE];

/** `--search-attribute` arguments for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return [`--search-attribute`, `TandemStage=Keyword`, `--search-attribute`, `TandemStalled=Bool`];
}

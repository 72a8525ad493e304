/** Rule ids of docs/rules.md (the 2021 rules, and N-rules for today's programme): decisions and catalogue entries cite them. */
export const RULE_IDS = [
  'R1', 'R2', 'R3', 'R4',
  'A1', 'A2', 'A3', 'A4', 'A5',
  'E1', 'E2', 'E3', 'E4', 'E5',
  'O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7',
  'C1', 'C2', 'C3', 'C4', 'C5',
  'D1', 'D2', 'D3', 'D4',
  'P1', 'P2',
  'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9', 'N10',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

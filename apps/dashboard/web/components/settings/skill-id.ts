/** Shown under the skill id field. The rule itself is core's (skillIdProblem), the same the store applies. */
export const SKILL_ID_HINT =
  'amzn1.ask.skill. followed by the id Amazon shows in the Alexa developer console';

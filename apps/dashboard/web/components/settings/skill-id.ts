/** "amzn1.ask.skill.…0001": enough to tell skills apart at a glance; the whole id sits behind a disclosure. */
export const shortSkillId = (id: string) => `${id.replace(/^(amzn1\.ask\.skill\.).*(.{4})$/, '$1…$2')}`;

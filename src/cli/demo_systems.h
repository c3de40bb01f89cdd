/* demo_systems.h - the demo municipalities' system register: IT systems,
 * information sets with their classifications, which system handles what,
 * the people in each system's roles and the integrations between systems.
 *
 * Exempelstads kommun gets some forty systems of a Swedish municipality and
 * a couple of dozen classified information sets, so that the derivation
 * rule shows at work: business-critical systems at K3/T3, and one set at
 * level 4 on K (skyddade personuppgifter) that is escalated outside the
 * baseline.  Grannby kommun gets a handful.  Everything goes through the
 * entity engine, in one transaction per organisation, so every record has
 * its audit event and the derived levels are the engine's own.
 */
#ifndef VARN_CLI_DEMO_SYSTEMS_H
#define VARN_CLI_DEMO_SYSTEMS_H

struct buf;
struct cli_ctx;
struct db_error;

/* Creates the register of the organisation selected in c (cli_use_org)
 * when the demo has one for its slug, and appends a summary line to
 * summary.  Nothing for other organisations.  0, or -1 with err set (and
 * nothing of the register written). */
int demo_systems_create(struct cli_ctx *c, struct buf *summary, struct db_error *err);

#endif

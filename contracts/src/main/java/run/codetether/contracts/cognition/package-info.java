/**
 * Cognition and persona-swarm records of the original v1.0 (snake_case JSON, snake_case enums), plus the commands
 * on {@code cognition.commands} and the records on {@code cognition.events} that carry them between gateway and
 * swarm-service.
 */
package run.codetether.contracts.cognition;

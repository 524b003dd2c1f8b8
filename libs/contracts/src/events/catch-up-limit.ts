/**
 * Tasks one `StreamingService.ListEventsForTasks` call catches up from the EVENTS stream at most
 * (`catch_up`): the streaming service refuses more, the gateway names the newest that many.
 */
export const MAX_CATCH_UPS_PER_CALL = 16;

package dev.rld.api;

import io.javalin.config.RoutesConfig;
import java.util.List;
import java.util.Map;

/** The hotspot routes (docs/api.md, "Hotspots"): short handlers over {@link RolloutHotspots}. */
final class HotspotRoutes {
  private HotspotRoutes() {}

  static void register(RoutesConfig r, List<Routes.Route> table, Map<String, ServedRollout> rollouts,
      Routes.Protection protection) {
    RolloutHotspots hotspots = new RolloutHotspots(RolloutHotspots.CACHE_BYTES);
    Routes.get(r, table, "/api/rollouts/{id}/episodes/{e}/hotspots", ctx -> {
      ServedRollout s = Routes.rollout(rollouts, ctx);
      int e = Routes.intPath(ctx, "e", "episode");
      s.episode(e);
      // One read of the episode (and a policy batch per slice): on the bounded workers.
      ctx.json(protection.work().run(ctx, () -> hotspots.report(s, e, protection.limits())));
    });
    Routes.get(r, table, "/api/rollouts/{id}/hotspots", ctx -> {
      ServedRollout s = Routes.rollout(rollouts, ctx);
      int limit = EpisodeRanking.checkLimit(Routes.intQuery(ctx, "limit", EpisodeRanking.DEFAULT_LIMIT));
      ctx.json(hotspots.ranking(s).rank(limit, hotspots.counts(s.id)));
    });
  }
}

package io.agentrelay.cli.bench;

import java.util.List;

/**
 * Every scenario, in the order a full run goes through them. (Not a constant of {@link Scenario}:
 * an interface whose initialization builds its own implementations can deadlock class loading.)
 */
final class Scenarios {
    static final List<Scenario> ALL = List.of(new BaselineScenario(), new SendScenario(), new DeliverScenario(),
            new FanoutScenario(), new ClaimsScenario(), new StartupScenario());

    private Scenarios() {
    }

    static Scenario named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    static List<String> names() {
        return ALL.stream().map(Scenario::name).toList();
    }
}

package dev.kafkasdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** When an io-bound trial may start: the group as the coordinator describes it. */
class GroupMembershipTest {

  @Test
  void twelveMembersEachOwningAPartitionOfAStableGroupHaveSettled() {
    assertThat(GroupMembership.stable(group(GroupState.STABLE, perMember(12, 1)), 12)).isTrue();
  }

  @Test
  void theFirstMemberOwningEveryPartitionHasNotSettledWhileElevenAreStillToJoin() {
    // What the clients' own count could not tell: 12 partitions owned, by one member.
    assertThat(GroupMembership.stable(group(GroupState.STABLE, perMember(1, 12)), 12)).isFalse();
  }

  @Test
  void aRebalancingGroupHasNotSettled() {
    assertThat(GroupMembership.stable(group(GroupState.PREPARING_REBALANCE, perMember(12, 1)), 12))
        .isFalse();
    assertThat(GroupMembership.stable(group(GroupState.COMPLETING_REBALANCE, perMember(12, 1)), 12))
        .isFalse();
  }

  @Test
  void aMemberWithoutAPartitionMeansTheAssignmentHasNotReachedEveryone() {
    List<Integer> counts = perMember(12, 1);
    counts.set(5, 0);
    counts.set(6, 2);
    assertThat(GroupMembership.stable(group(GroupState.STABLE, counts), 12)).isFalse();
  }

  @Test
  void oneMemberOwningEveryPartitionIsSettledForASingleConsumer() {
    assertThat(GroupMembership.stable(group(GroupState.STABLE, perMember(1, 12)), 1)).isTrue();
  }

  private static List<Integer> perMember(int members, int partitionsEach) {
    return new ArrayList<>(IntStream.range(0, members).mapToObj(i -> partitionsEach).toList());
  }

  private static ConsumerGroupDescription group(
      GroupState state, List<Integer> partitionsPerMember) {
    int next = 0;
    List<MemberDescription> members = new ArrayList<>();
    for (int m = 0; m < partitionsPerMember.size(); m++) {
      Set<TopicPartition> owned = new HashSet<>();
      for (int p = 0; p < partitionsPerMember.get(m); p++) {
        owned.add(new TopicPartition("io", next++));
      }
      members.add(
          new MemberDescription(
              "member-" + m,
              Optional.empty(),
              Optional.empty(),
              "client-" + m,
              "/127.0.0.1",
              new MemberAssignment(owned),
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
    }
    return new ConsumerGroupDescription(
        "g",
        false,
        members,
        "range",
        GroupType.CLASSIC,
        state,
        new Node(0, "localhost", 9092),
        Set.of(),
        Optional.empty(),
        Optional.empty());
  }
}

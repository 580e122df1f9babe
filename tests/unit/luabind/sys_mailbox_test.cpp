// sys mailboxes (spec §5; checklist 36).

#include "luasys_fixture.h"

namespace luasys::testing {
namespace {

using luabind_sys_mailbox = LuaSysTest;

TEST_F(luabind_sys_mailbox, WaitMsgReturnsMatchesGivesOthersToTheCallbackAndNilOnTimeout) {
  EXPECT_EQ(run(R"(
sys.taskInitEx(function()
  print("job", sys.waitMsg("worker", "job")[2])
  print(sys.waitMsg("worker", "job", 100), sys.now())
  print(sys.cleanMsg("worker"), sys.taskDel("worker"))
  print(sys.cleanMsg("worker"), sys.sendMsg("worker"))
end, "worker", function(m) print("skipped", m[1]) end)
print(sys.sendMsg("worker", "noise"), sys_send("worker", "job", 42), sys.sendMsg("nobody"))
)"),
            "true\ttrue\tfalse\nskipped\tnoise\njob\t42\nnil\t100\ntrue\nfalse\tfalse\n");
}

TEST_F(luabind_sys_mailbox, QueuedMessagesAreTakenWithoutWaitingAndAllParametersKept) {
  EXPECT_EQ(run(R"(
sys.taskInitEx(function()
  sys.wait(10)
  local m = sys_wait("box")
  print(m[1], m[2], m[3], m[4], m[5], m[6])
  print(sys.waitMsg("box", "b")[1], sys.now())
  print(sys.waitMsg("box", nil, 5))
end, "box")
sys.sendMsg("box", "a", 1, 2, 3, 4, 5)
sys.sendMsg("box", "x")
sys.sendMsg("box", "b")
)"),
            "a\t1\t2\t3\t4\t5\nb\t10\nnil\n");
}

TEST_F(luabind_sys_mailbox, WaitMsgWithoutMailboxGivesFalseAndOutsideATaskRaises) {
  EXPECT_EQ(run(R"(
sys.taskInit(function() print(sys.waitMsg("none")) end)
print(pcall(sys.waitMsg, "none"))
)"),
            "false\nfalse\tsys.waitMsg called outside a task; start one with sys.taskInit\n");
}

TEST_F(luabind_sys_mailbox, TaskInitExChecksTheName) {
  EXPECT_EQ(run(R"(
print(pcall(sys.taskInitEx, function() end))
)"),
            "false\tbad argument #2 to 'sys.taskInitEx' (task name expected, got no value)\n");
}

TEST_F(luabind_sys_mailbox, TaskInitExNamesTheTaskAndReplacesTheMailbox) {
  EXPECT_EQ(run(R"(
sys.sendMsg("m", 1)
local co = sys.taskInitEx(function(a) print("arg", a) print(sys.waitMsg("m", nil, 1)[1]) end, "m", nil, "A")
sys.taskInitEx(function() end, "m")
print(sys.taskInfo(co).name)
print(sys.sendMsg("m", "fresh"))
)"),
            "arg\tA\nm\ntrue\nfresh\n");
}

TEST_F(luabind_sys_mailbox, WaitingTaskShowsTheMailbox) {
  EXPECT_EQ(run(R"(
local co = sys.taskInitEx(function() sys.waitMsg("inbox", nil, 50) end, "inbox")
local info = sys.taskInfo(co)
print(info.state, info.waiting_on, info.wake_at)
)"),
            "waiting\tmailbox inbox\t50\n");
}

}  // namespace
}  // namespace luasys::testing

#include "transport/zmq_io.h"

#include <cerrno>

namespace whoisq::transport {

bool RecvFrames(zmq::socket_t& socket, std::vector<std::string>& frames) {
  frames.clear();
  zmq::message_t m;
  if (!socket.recv(m, zmq::recv_flags::dontwait)) return false;
  frames.emplace_back(m.to_string());
  while (m.more()) {
    (void)socket.recv(m);  // the rest of a multipart message is already here
    frames.emplace_back(m.to_string());
  }
  return true;
}

void SendFrames(zmq::socket_t& socket, const std::vector<std::string>& frames) {
  for (size_t i = 0; i < frames.size(); ++i) {
    socket.send(zmq::buffer(frames[i]),
                i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
  }
}

void SendTo(zmq::socket_t& router, const std::string& identity,
            const std::vector<std::string>& frames) {
  router.send(zmq::buffer(identity), zmq::send_flags::sndmore);
  SendFrames(router, frames);
}

bool PollOrSignal(zmq::pollitem_t* items, size_t count, std::chrono::milliseconds timeout) {
  try {
    zmq::poll(items, count, timeout);
    return true;
  } catch (const zmq::error_t& e) {
    if (e.num() == EINTR) return false;
    throw;
  }
}

bool RecvFramesWithin(zmq::socket_t& socket, std::vector<std::string>& frames,
                      std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
  if (!PollOrSignal(&item, 1, timeout)) return false;
  if (!(item.revents & ZMQ_POLLIN)) return false;
  return RecvFrames(socket, frames);
}

}  // namespace whoisq::transport

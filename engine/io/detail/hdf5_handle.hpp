/*!
 * @file hdf5_handle.hpp
 * @brief Small private helpers shared by the HDF5 writer, the result reader and the sweep store
 *        (through sweep/detail/h5_store.hpp); not installed API.
 *
 * Three pieces: an owning wrapper for `hid_t` identifiers (H5Handle) that calls the right
 * H5?close on scope exit; a guard (Hdf5Guard) taken by every public entry point of io and of the
 * sweep store that touches HDF5, which serialises HDF5 calls (distribution builds of HDF5 are
 * not always thread-safe, and a parameter sweep may write several files at once), switches off
 * HDF5's automatic printing of its error stack and, once, its exit handler; and `check()`,
 * `make_handle()` and `fail()`, which turn a negative HDF5 return into a std::runtime_error that
 * names the file and the innermost HDF5 reason (e.g. "No space left on device").
 */
#pragma once

#include <hdf5.h>

#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

namespace ipsim::io::detail {

/*! @brief Owns one HDF5 identifier and closes it with the matching close function. */
class H5Handle {
public:
    using Closer = herr_t (*)(hid_t);

    H5Handle() noexcept = default;
    /*! @brief Takes ownership of `id` (may be negative: then the handle is empty). */
    H5Handle(hid_t id, Closer closer) noexcept : id_(id), closer_(closer) {}
    ~H5Handle() { static_cast<void>(close()); }
    H5Handle(const H5Handle&) = delete;
    H5Handle& operator=(const H5Handle&) = delete;
    H5Handle(H5Handle&& other) noexcept
        : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
    H5Handle& operator=(H5Handle&& other) noexcept {
        if (this != &other) {
            static_cast<void>(close());
            id_ = std::exchange(other.id_, H5I_INVALID_HID);
            closer_ = other.closer_;
        }
        return *this;
    }

    /*! @brief The raw identifier, for HDF5 calls. */
    [[nodiscard]] hid_t get() const noexcept { return id_; }
    /*! @brief True if the handle holds a valid identifier. */
    [[nodiscard]] bool valid() const noexcept { return id_ >= 0; }
    /*! @brief Closes now; returns the close function's status (0 if already empty). */
    [[nodiscard]] herr_t close() noexcept {
        herr_t status = 0;
        if (id_ >= 0 && closer_ != nullptr) {
            status = closer_(id_);
        }
        id_ = H5I_INVALID_HID;
        return status;
    }

private:
    hid_t id_ = H5I_INVALID_HID;
    Closer closer_ = nullptr;
};

/*! @brief Process-wide lock around all HDF5 use in ipsim (io and the sweep store). */
[[nodiscard]] inline std::recursive_mutex& hdf5_mutex() noexcept {
    static std::recursive_mutex mutex;
    return mutex;
}

/*! @brief Holds the HDF5 lock and silences automatic error printing for its lifetime.
 *
 *  The first guard also tells HDF5 not to register its exit handler: after a failed close
 *  (a full disk) that handler finds a dangling identifier and crashes or prints "infinite loop
 *  closing library". Every file ipsim writes is closed (or discarded) before exit anyway. */
class Hdf5Guard {
public:
    Hdf5Guard() : lock_(hdf5_mutex()) {
        static const bool no_exit_handler = H5dont_atexit() >= 0;
        static_cast<void>(no_exit_handler);
        H5Eget_auto2(H5E_DEFAULT, &old_func_, &old_data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~Hdf5Guard() { H5Eset_auto2(H5E_DEFAULT, old_func_, old_data_); }
    Hdf5Guard(const Hdf5Guard&) = delete;
    Hdf5Guard& operator=(const Hdf5Guard&) = delete;

private:
    std::lock_guard<std::recursive_mutex> lock_;
    H5E_auto2_t old_func_ = nullptr;
    void* old_data_ = nullptr;
};

/*! @brief The system's reason inside an HDF5 message ("... error message = 'X', ..." gives X). */
[[nodiscard]] inline std::string system_reason(const std::string& desc) {
    const std::string key = "error message = '";
    const auto start = desc.find(key);
    if (start == std::string::npos) {
        return {};
    }
    const auto end = desc.find('\'', start + key.size());
    return desc.substr(start + key.size(), end == std::string::npos ? std::string::npos : end - start - key.size());
}

/*! @brief The most specific message on HDF5's current error stack ("" if none), on one line. */
[[nodiscard]] inline std::string hdf5_error_text() {
    std::string text;
    auto visit = [](unsigned, const H5E_error2_t* err, void* data) -> herr_t {
        if (err != nullptr && err->desc != nullptr && err->desc[0] != '\0') {
            *static_cast<std::string*>(data) = err->desc;
        }
        return 0;
    };
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, visit, &text);
    H5Eclear2(H5E_DEFAULT);
    if (std::string reason = system_reason(text); !reason.empty()) {
        return reason;
    }
    for (char& c : text) {
        c = c == '\n' ? ' ' : c;
    }
    return text;
}

/*! @brief Throws std::runtime_error("<what> '<path>': <HDF5 reason>"). */
[[noreturn]] inline void fail(const std::string& what, const std::string& path) {
    std::string message = what + " '" + path + "'";
    const std::string reason = hdf5_error_text();
    if (!reason.empty()) {
        message += ": " + reason;
    }
    throw std::runtime_error(message);
}

/*! @brief Returns `status` if non-negative, otherwise throws via fail(). */
template <typename Status>
Status check(Status status, const std::string& what, const std::string& path) {
    if (status < 0) {
        fail(what, path);
    }
    return status;
}

/*! @brief Wraps a new identifier, throwing via fail() if it is invalid. */
[[nodiscard]] inline H5Handle make_handle(hid_t id, H5Handle::Closer closer, const std::string& what,
                                          const std::string& path) {
    check(id, what, path);
    return H5Handle{id, closer};
}

}  // namespace ipsim::io::detail

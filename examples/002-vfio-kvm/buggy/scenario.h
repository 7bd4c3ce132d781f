/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 002-vfio-kvm, buggy twin: VFIO group and device, a vfio-ap-like driver,
 * KVM's VM and device objects and the KVM-VFIO pseudo device.
 */
#ifndef _EXAMPLE_002_BUGGY_SCENARIO_H
#define _EXAMPLE_002_BUGGY_SCENARIO_H

#include "../../include/kernel_stub.h"

/* ---- KVM ---- */
struct kvm {
	struct mutex lock;
	refcount_t users_count;
	struct list_head vm_list;
	struct list_head devices;
};

struct kvm_device;

struct kvm_device_attr {
	u32 flags;
	u32 group;
	u64 attr;
	u64 addr;
};

struct kvm_device_ops {
	const char *name;
	int (*create)(struct kvm_device *dev, u32 type);
	void (*release)(struct kvm_device *dev);
	int (*set_attr)(struct kvm_device *dev, struct kvm_device_attr *attr);
};

struct kvm_device {
	const struct kvm_device_ops *ops;
	struct kvm *kvm;
	void *private;
	struct list_head vm_node;
};

#define KVM_SET_DEVICE_ATTR		0xaee1
#define KVM_DEV_VFIO_FILE		1
#define KVM_DEV_VFIO_FILE_ADD		1

void kvm_get_kvm(struct kvm *kvm);
bool kvm_get_kvm_safe(struct kvm *kvm);
void kvm_put_kvm(struct kvm *kvm);

/* ---- VFIO ---- */
struct vfio_device;

struct vfio_device_ops {
	const char *name;
	int (*open_device)(struct vfio_device *vdev);
	void (*close_device)(struct vfio_device *vdev);
};

struct vfio_group {
	struct mutex group_lock;
	struct kvm *kvm;		/* under group_lock */
	struct list_head device_list;
};

struct vfio_device {
	struct device *dev;
	const struct vfio_device_ops *ops;
	struct vfio_group *group;
	struct kvm *kvm;		/* set while open */
	unsigned int open_count;	/* under group_lock */
	struct list_head group_next;
};

#define VFIO_GROUP_GET_DEVICE_FD	0x3b6a

struct vfio_device *vfio_device_get_from_name(struct vfio_group *group,
					      const char *name);
int vfio_device_open(struct vfio_device *device);
void vfio_device_close(struct vfio_device *device);
int vfio_register_group_dev(struct vfio_device *device);
void vfio_file_set_kvm(struct file *file, struct kvm *kvm);

#endif /* _EXAMPLE_002_BUGGY_SCENARIO_H */

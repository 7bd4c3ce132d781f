// SPDX-License-Identifier: GPL-2.0-only
/*
 * 002-vfio-kvm, buggy: the KVM-VFIO pseudo device. Userspace hands it
 * VFIO group files; each is told which VM it now belongs to through
 * vfio_file_set_kvm(). When the device is released - KVM holds kvm->lock
 * around ->release() (kvm_main.c) - every file is told the VM is gone,
 * and vfio_file_set_kvm() takes that group's group_lock.
 */
/* expect: none */

#include "scenario.h"

struct kvm_vfio_file {
	struct list_head node;
	struct file *file;
};

struct kvm_vfio {
	struct list_head file_list;
	struct mutex lock;
};

static void kvm_vfio_file_set_kvm(struct file *file, struct kvm *kvm)
{
	vfio_file_set_kvm(file, kvm);
}

static int kvm_vfio_file_add(struct kvm_device *dev, unsigned int fd)
{
	struct kvm_vfio *kv = dev->private;
	struct kvm_vfio_file *kvf;
	struct file *filp;
	int ret = 0;

	filp = fget(fd);
	if (!filp)
		return -EBADF;

	mutex_lock(&kv->lock);
	list_for_each_entry(kvf, &kv->file_list, node) {
		if (kvf->file == filp) {
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	kvf = kzalloc(sizeof(*kvf), GFP_KERNEL);
	if (!kvf) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	kvf->file = get_file(filp);
	list_add_tail(&kvf->node, &kv->file_list);
	kvm_vfio_file_set_kvm(kvf->file, dev->kvm);
out_unlock:
	mutex_unlock(&kv->lock);
	fput(filp);
	return ret;
}

static int kvm_vfio_set_attr(struct kvm_device *dev,
			     struct kvm_device_attr *attr)
{
	u32 __user *argp = (u32 __user *)(unsigned long)attr->addr;
	u32 fd;

	if (attr->group != KVM_DEV_VFIO_FILE)
		return -ENXIO;

	switch (attr->attr) {
	case KVM_DEV_VFIO_FILE_ADD:
		if (get_user(fd, argp))
			return -EFAULT;
		return kvm_vfio_file_add(dev, fd);
	default:
		return -ENXIO;
	}
}

static void kvm_vfio_release(struct kvm_device *dev)
{
	struct kvm_vfio *kv = dev->private;
	struct kvm_vfio_file *kvf, *tmp;

	list_for_each_entry_safe(kvf, tmp, &kv->file_list, node) {
		kvm_vfio_file_set_kvm(kvf->file, NULL);
		fput(kvf->file);
		list_del(&kvf->node);
		kfree(kvf);
	}
	kfree(kv);
	kfree(dev);
}

static int kvm_vfio_create(struct kvm_device *dev, u32 type)
{
	struct kvm_vfio *kv;

	kv = kzalloc(sizeof(*kv), GFP_KERNEL);
	if (!kv)
		return -ENOMEM;
	INIT_LIST_HEAD(&kv->file_list);
	mutex_init(&kv->lock);
	dev->private = kv;
	return 0;
}

const struct kvm_device_ops kvm_vfio_ops = {
	.name		= "kvm-vfio",
	.create		= kvm_vfio_create,
	.release	= kvm_vfio_release,
	.set_attr	= kvm_vfio_set_attr,
};

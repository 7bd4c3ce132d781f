// SPDX-License-Identifier: GPL-2.0-only
/*
 * 002-vfio-kvm, buggy: VFIO group code. Opening a device holds
 * group->group_lock across vfio_device_open(), which calls the driver's
 * ->open_device(), and vfio-ap's takes kvm->lock. vfio_file_set_kvm()
 * takes group_lock as well, and KVM calls it from kvm_vfio_release() with
 * kvm->lock held (kvm_main.c): kvm->lock and group_lock, in both orders.
 */
/* expect: none */

#include "scenario.h"

static const struct file_operations vfio_device_fops;

static int vfio_device_open_file(struct vfio_group *group, const char *name)
{
	struct vfio_device *device;
	int ret;

	mutex_lock(&group->group_lock);
	device = vfio_device_get_from_name(group, name);
	if (!device) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (device->open_count == 0)
		device->kvm = group->kvm;
	ret = vfio_device_open(device);
	if (ret)
		goto out_clear_kvm;
	ret = anon_inode_getfd("[vfio-device]", &vfio_device_fops, device,
			       O_RDWR);
	if (ret < 0)
		goto out_close;
	mutex_unlock(&group->group_lock);
	return ret;

out_close:
	vfio_device_close(device);
out_clear_kvm:
	if (device->open_count == 0)
		device->kvm = NULL;
out_unlock:
	mutex_unlock(&group->group_lock);
	return ret;
}

static int vfio_device_fops_release(struct inode *inode, struct file *filep)
{
	struct vfio_device *device = filep->private_data;
	struct vfio_group *group = device->group;

	mutex_lock(&group->group_lock);
	vfio_device_close(device);
	if (device->open_count == 0)
		device->kvm = NULL;
	mutex_unlock(&group->group_lock);
	return 0;
}

static const struct file_operations vfio_device_fops = {
	.owner		= THIS_MODULE,
	.release	= vfio_device_fops_release,
};

static long vfio_group_fops_unl_ioctl(struct file *filep, unsigned int cmd,
				      unsigned long arg)
{
	struct vfio_group *group = filep->private_data;
	char __user *uname = (char __user *)arg;
	char *name;
	int fd;

	switch (cmd) {
	case VFIO_GROUP_GET_DEVICE_FD:
		name = strndup_user(uname, PAGE_SIZE);
		if (IS_ERR(name))
			return PTR_ERR(name);
		fd = vfio_device_open_file(group, name);
		kfree(name);
		return fd;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vfio_group_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vfio_group_fops_unl_ioctl,
};

void vfio_file_set_kvm(struct file *file, struct kvm *kvm)
{
	struct vfio_group *group = file->private_data;

	if (file->f_op != &vfio_group_fops)
		return;

	mutex_lock(&group->group_lock);
	group->kvm = kvm;
	mutex_unlock(&group->group_lock);
}
EXPORT_SYMBOL_GPL(vfio_file_set_kvm);
